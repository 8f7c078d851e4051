import type { SandboxPart, SandboxPartFactory, SandboxPartOptions } from '../../../src/sandbox/part';
import { SageMakerEmulator } from './emulator';
import { SANDBOX_ACCOUNT, SANDBOX_KEYS, SANDBOX_REGIONS, seedSageMakerBulk, seedSageMakerSandbox } from './fixtures/sandbox';

/**
 * The SageMaker part of the sandbox: the emulator seeded with the demo account
 * (or, with `scale`, models → groups and versionsPerModel → packages, one
 * endpoint per group), and the `sagemaker` source entry that reads it. `now`
 * anchors every creation time (default: the moment it starts).
 */
export async function startSageMakerSandbox(opts: SandboxPartOptions, now = Date.now()): Promise<SandboxPart> {
  const emu = new SageMakerEmulator({ latencyMs: opts.latencyMs });
  emu.identities.addUser({ account: SANDBOX_ACCOUNT, ...SANDBOX_KEYS, name: 'masync-sandbox' });
  const seeded = opts.scale
    ? seedSageMakerBulk(emu, now, { groups: opts.scale.models, versionsPerGroup: opts.scale.versionsPerModel })
    : seedSageMakerSandbox(emu, now);
  const url = await emu.start();
  const regions = opts.scale ? ['us-east-1'] : [...SANDBOX_REGIONS];
  return {
    role: 'source',
    config: {
      name: 'sagemaker-sandbox',
      type: 'sagemaker',
      endpoint: url,
      accounts: [{ id: SANDBOX_ACCOUNT, regions }],
      credentials: { accessKeyId: '${MASYNC_SANDBOX_AWS_ACCESS_KEY_ID}', secretAccessKey: '${MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY}' },
    },
    env: { MASYNC_SANDBOX_AWS_ACCESS_KEY_ID: SANDBOX_KEYS.accessKeyId, MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY: SANDBOX_KEYS.secretAccessKey },
    describe: `SageMaker emulator at ${url}: account ${SANDBOX_ACCOUNT} in ${regions.join(', ')}, ${seeded.groups} model package groups, ${seeded.packages} packages, ${seeded.endpoints} endpoints, ${seeded.components} inference components`,
    server: emu.server,
    stop: () => emu.stop(),
  };
}

export const sageMakerSandbox: SandboxPartFactory = (opts) => startSageMakerSandbox(opts);
