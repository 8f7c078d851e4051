import type { SandboxPart, SandboxPartFactory } from '../../../src/sandbox/part';
import { tallyRequests } from '../../../src/sandbox/calls';
import { mlflowCallBound } from './call-bound';
import { mlflowConfigSchema } from './config';
import { MlflowEmulator, tickingClock } from './emulator';
import { bulkChange, SANDBOX_CHANGES, seedBulk, seedSandbox, type SeedSummary } from './fixtures/sandbox';
import { versionKey } from './keys';

/** The local emulator's token; it guards nothing real. */
const TOKEN = 'sandbox-mlflow-token-6f1c';
const NAMESPACE = 'mlflow.sandbox';

/** The part, with its emulator and what the seed holds now, for tests that look inside. */
export interface MlflowSandboxPart extends SandboxPart {
  emulator: MlflowEmulator;
  /** What the registry holds now: the seed, less the versions deleted since. */
  seeded: SeedSummary;
}

/**
 * The MLflow part of the sandbox: a tracking server with the demo registry
 * (or, with `scale`, `models` × `versionsPerModel` versions, each with its own
 * run), and the `mlflow` source entry that reads it with its default page sizes.
 */
export const mlflowSandbox: SandboxPartFactory<MlflowSandboxPart> = async (opts) => {
  const emu = new MlflowEmulator({ auth: { token: TOKEN }, clock: tickingClock() });
  const seeded = opts.scale ? seedBulk(emu, opts.scale) : seedSandbox(emu);
  const url = await emu.start();
  if (opts.latencyMs) emu.server.setLatency(opts.latencyMs);
  const config = { name: 'mlflow-sandbox', type: 'mlflow', url, namespace: NAMESPACE, auth: { token: '${MASYNC_SANDBOX_MLFLOW_TOKEN}' } };
  // The page sizes the bound counts with are the source's defaults, as the config leaves them.
  const settings = mlflowConfigSchema.parse({ ...config, auth: { token: TOKEN } });
  const done = { deleted: 0, moved: 0 };
  const changeAt = (i: number, kind: 'move' | 'delete') => {
    if (opts.scale) return bulkChange(i, opts.scale, kind);
    const list = kind === 'move' ? SANDBOX_CHANGES.moves : SANDBOX_CHANGES.deletions;
    const c = list[i];
    if (!c) throw new Error(`the demo registry has no ${kind} number ${i + 1} planned`);
    return { name: c.name, version: c.version, stage: 'stage' in c ? c.stage : 'None' };
  };
  return {
    role: 'source',
    config,
    env: { MASYNC_SANDBOX_MLFLOW_TOKEN: TOKEN },
    describe: `MLflow at ${url}: ${seeded.models} registered models, ${seeded.versions} versions${opts.scale ? '' : ', one model named "fraud^ORname=x"'}`,
    server: emu.server,
    calls: () => tallyRequests(emu.server.requests),
    minimumCalls: ({ warm }) => {
      const size = {
        models: seeded.models,
        versions: seeded.versions,
        experiments: seeded.experiments,
        // A finished run's lineage is cached; a gone one is settled too. Cold, every run is fetched, a gone one by runs/get after the search.
        runsToFetch: warm ? 0 : seeded.runs,
        runsOneByOne: warm ? 0 : seeded.goneRuns,
        pageSizes: { models: settings.pageSize, versions: settings.versionsPageSize, experiments: settings.pageSize, runsBatch: settings.runsBatchSize },
      };
      const pages = (n: number, per: number) => Math.max(1, Math.ceil(n / per));
      // Models and versions list side by side; runs are searched once their ids (a versions page) and the experiments are known.
      const versionsPath = pages(size.versions, size.pageSizes.versions) + (size.runsToFetch > 0 ? 1 + (size.runsOneByOne > 0 ? 1 : 0) : 0);
      return {
        calls: mlflowCallBound(size),
        path: { read: Math.max(pages(size.models, size.pageSizes.models), versionsPath) },
        basis:
          `mlflowCallBound: pages of ${size.models} models (${size.pageSizes.models}/page) + ${size.versions} versions (${size.pageSizes.versions}/page)` +
          (size.runsToFetch ? ` + ${size.experiments} experiments (${size.pageSizes.experiments}/page) + ${size.runsToFetch} runs searched ${size.pageSizes.runsBatch} at a time + ${size.runsOneByOne} gone run(s) one by one` : '; every run settled in the cache'),
      };
    },
    changes: {
      deleteVersions(count) {
        const keys: string[] = [];
        for (let n = 0; n < count; n++) {
          const c = changeAt(done.deleted, 'delete');
          emu.deleteVersion(c.name, c.version);
          done.deleted++;
          seeded.versions--;
          seeded.runs--;
          keys.push(versionKey(NAMESPACE, c.name, c.version));
        }
        return keys;
      },
      moveStages(count) {
        const keys: string[] = [];
        for (let n = 0; n < count; n++) {
          const c = changeAt(done.moved, 'move');
          emu.transitionStage(c.name, c.version, c.stage);
          done.moved++;
          keys.push(versionKey(NAMESPACE, c.name, c.version));
        }
        return keys;
      },
    },
    stop: () => emu.stop(),
    emulator: emu,
    seeded,
  };
};
