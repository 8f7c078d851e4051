import type { CallBound, SandboxPartFactory } from '../../../src/sandbox/part';
import { tallyRequests } from '../../../src/sandbox/calls';
import { minimumCalls, type ReadShape } from './call-count';
import { wandbConfigSchema } from './config';
import { tickingClock, WandbEmulator } from './emulator';
import { seedSandbox, seedScale } from './fixtures/sandbox';
import { MAX_PAGE_SIZE } from './paging';
import { RUN_BATCH } from './run-lineage';

/** The local emulator's key; it guards nothing real. */
const SANDBOX_API_KEY = 'sandbox-wandb-key-5d2e8c';

/** The W&B part of the sandbox: a seeded emulator and the `wandb` source entry that reads it. */
export const wandbSandbox: SandboxPartFactory = async (opts) => {
  const emu = new WandbEmulator({ apiKeys: { [SANDBOX_API_KEY]: 'masync-reader' }, clock: tickingClock() });
  const seed = opts.scale ? seedScale(emu, opts.scale) : seedSandbox(emu);
  const url = await emu.start();
  if (opts.latencyMs) emu.server.setLatency(opts.latencyMs);
  const config = {
    name: 'wandb-sandbox',
    type: 'wandb',
    url,
    apiKey: '${MASYNC_SANDBOX_WANDB_API_KEY}',
    namespace: 'wandb.sandbox',
    entity: seed.entity,
    projects: seed.projects,
    ...(seed.organization ? { registries: { organization: seed.organization } } : {}),
  };
  // The page size the bound counts with is the source's default, as the config leaves it.
  const settings = wandbConfigSchema.parse({ ...config, apiKey: SANDBOX_API_KEY });
  return {
    role: 'source',
    config,
    env: { MASYNC_SANDBOX_WANDB_API_KEY: SANDBOX_API_KEY },
    describe: `W&B at ${url}: ${seed.models} models, ${seed.versions} versions (entity ${seed.entity}${seed.organization ? `, organization ${seed.organization}'s registry` : ''})`,
    server: emu.server,
    calls: () => tallyRequests(emu.server.requests),
    minimumCalls: ({ warm }): CallBound => {
      const scopes: Array<{ entity: string; project: string }> = [];
      let registries: number | undefined;
      if (seed.organization) {
        const found = emu.registryProjects(seed.organization);
        registries = found.length;
        scopes.push(...found);
      }
      for (const project of settings.projects) scopes.push({ entity: seed.entity, project });
      const held = scopes.flatMap((s) => settings.artifactTypes.map((type) => emu.holdings(s.entity, s.project, type)));
      const unsettled = new Set(held.flatMap((h) => [...h.runs].filter(([, settled]) => !settled).map(([path]) => path)));
      const shape: ReadShape = { scopes: held.map((h) => h.versions), registries, pageSize: settings.pageSize, runsToFetch: warm ? unsettled.size : 0 };
      const calls = minimumCalls(shape);
      const collections = held.reduce((n, h) => n + h.versions.length, 0);
      const versions = held.reduce((n, h) => n + h.versions.reduce((a, b) => a + b, 0), 0);
      return {
        calls,
        // Each page's cursor comes from the one before it, and the reader takes scopes in turn.
        path: { read: calls },
        basis:
          `minimumCalls: ${registries === undefined ? '' : `${registries} registr${registries === 1 ? 'y' : 'ies'} found in 1 query, `}${held.length} scope(s), ${collections} collections at ${settings.pageSize}/page each with its first ${settings.pageSize} versions nested, ${versions} versions, further versions ${MAX_PAGE_SIZE}/page` +
          (warm
            ? `; warm: settled runs' lineage from the cache, ${unsettled.size} unsettled run(s) asked ${RUN_BATCH} per POST`
            : '; cold: every run\'s config and summary inline in the pages') +
          `; a larger pageSize (W&B's connections take first ≤ ${MAX_PAGE_SIZE}) would cut collection pages, at pageSize² version nodes per answer`,
      };
    },
    stop: () => emu.stop(),
  };
};
