import type { SandboxPartFactory } from '../../../src/sandbox/part';
import { tallyRequests } from '../../../src/sandbox/calls';
import { tickingClock, WandbEmulator } from './emulator';
import { seedSandbox, seedScale } from './fixtures/sandbox';

/** The local emulator's key; it guards nothing real. */
const SANDBOX_API_KEY = 'sandbox-wandb-key-5d2e8c';

/** The W&B part of the sandbox: a seeded emulator and the `wandb` source entry that reads it. */
export const wandbSandbox: SandboxPartFactory = async (opts) => {
  const emu = new WandbEmulator({ apiKeys: { [SANDBOX_API_KEY]: 'masync-reader' }, clock: tickingClock() });
  const seed = opts.scale ? seedScale(emu, opts.scale) : seedSandbox(emu);
  const url = await emu.start();
  if (opts.latencyMs) emu.server.setLatency(opts.latencyMs);
  return {
    role: 'source',
    config: {
      name: 'wandb-sandbox',
      type: 'wandb',
      url,
      apiKey: '${MASYNC_SANDBOX_WANDB_API_KEY}',
      namespace: 'wandb.sandbox',
      entity: seed.entity,
      projects: seed.projects,
      ...(seed.organization ? { registries: { organization: seed.organization } } : {}),
    },
    env: { MASYNC_SANDBOX_WANDB_API_KEY: SANDBOX_API_KEY },
    describe: `W&B at ${url}: ${seed.models} models, ${seed.versions} versions (entity ${seed.entity}${seed.organization ? `, organization ${seed.organization}'s registry` : ''})`,
    server: emu.server,
    calls: () => tallyRequests(emu.server.requests),
    stop: () => emu.stop(),
  };
};
