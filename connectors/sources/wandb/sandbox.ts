import type { SandboxPartFactory } from '../../../src/sandbox/part';
import { tickingClock, WandbEmulator } from './emulator';
import { seedSandbox, seedScale } from './fixtures/sandbox';

/** The local emulator's key; it guards nothing real. */
const SANDBOX_API_KEY = 'sandbox-wandb-key-5d2e8c';

/** The W&B part of the sandbox: a seeded emulator and the `wandb` source entry that reads it. */
export const wandbSandbox: SandboxPartFactory = async (opts) => {
  const emu = new WandbEmulator({ apiKeys: { [SANDBOX_API_KEY]: 'masync-reader' }, clock: tickingClock() });
  const seed = opts.scale ? seedScale(emu, opts.scale) : seedSandbox(emu);
  // A fault with no status only waits, then lets the request through: latency in front of every answer.
  if (opts.latencyMs) emu.server.faults.inject({ delayMs: opts.latencyMs, times: Number.POSITIVE_INFINITY });
  const url = await emu.start();
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
    stop: () => emu.stop(),
  };
};
