import type { SandboxPart, SandboxPartFactory, SandboxPartOptions } from '../../../src/sandbox/part';
import { tallyOperations } from '../../../src/sandbox/calls';
import { minimumCalls } from './call-count';
import { sageMakerConfigSchema } from './config';
import { SageMakerEmulator } from './emulator';
import { SANDBOX_ACCOUNT, SANDBOX_KEYS, SANDBOX_REGIONS, seedSageMakerBulk, seedSageMakerSandbox, type SageMakerSeedSummary } from './fixtures/sandbox';

/** The part, with its emulator and seed, for tests that look inside. */
export interface SageMakerSandboxPart extends SandboxPart {
  emulator: SageMakerEmulator;
  seeded: SageMakerSeedSummary;
}

/**
 * The SageMaker part of the sandbox: the emulator seeded with the demo account
 * (or, with `scale`, models → groups and versionsPerModel → packages, one
 * endpoint per group), and the `sagemaker` source entry that reads it. `now`
 * anchors every creation time (default: the moment it starts).
 */
export async function startSageMakerSandbox(opts: SandboxPartOptions, now = opts.now?.getTime() ?? Date.now()): Promise<SageMakerSandboxPart> {
  const emu = new SageMakerEmulator();
  emu.identities.addUser({ account: SANDBOX_ACCOUNT, ...SANDBOX_KEYS, name: 'masync-sandbox' });
  const seeded = opts.scale
    ? seedSageMakerBulk(emu, now, { groups: opts.scale.models, versionsPerGroup: opts.scale.versionsPerModel })
    : seedSageMakerSandbox(emu, now);
  const url = await emu.start();
  if (opts.latencyMs) emu.server.setLatency(opts.latencyMs);
  const regions = opts.scale ? ['us-east-1'] : [...SANDBOX_REGIONS];
  const config = {
    name: 'sagemaker-sandbox',
    type: 'sagemaker',
    endpoint: url,
    accounts: [{ id: SANDBOX_ACCOUNT, regions }],
    credentials: { accessKeyId: '${MASYNC_SANDBOX_AWS_ACCESS_KEY_ID}', secretAccessKey: '${MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY}' },
  };
  const { pageSize } = sageMakerConfigSchema.parse({ ...config, credentials: SANDBOX_KEYS });
  return {
    role: 'source',
    config,
    env: { MASYNC_SANDBOX_AWS_ACCESS_KEY_ID: SANDBOX_KEYS.accessKeyId, MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY: SANDBOX_KEYS.secretAccessKey },
    describe: `SageMaker at ${url}: account ${SANDBOX_ACCOUNT} in ${regions.join(', ')}, ${seeded.groups} model package groups, ${seeded.packages} packages, ${seeded.endpoints} endpoints, ${seeded.components} inference components`,
    server: emu.server,
    calls: () => tallyOperations(emu.calls.map((c) => `SageMaker ${c.operation}`)),
    minimumCalls: ({ warm }) => {
      const scopes = seeded.scopes.map((s) => s.counts);
      const pages = (n: number) => Math.max(1, Math.ceil(n / pageSize));
      // Regions are read side by side; in one, the listings page on, and (cold) an endpoint is described, then its config, then its model.
      const path = Math.max(...scopes.map((s) => Math.max(pages(s.groups), pages(s.packages), pages(s.endpoints), pages(s.components)) + (warm ? 0 : 3)));
      return {
        calls: minimumCalls({ scopes, pageSize, warm }),
        path: { read: path },
        basis: `minimumCalls over ${scopes.length} region(s) at ${pageSize}/page, ${warm ? 'warm (listings only; describes cached)' : 'cold (every describe and tag list)'}`,
      };
    },
    stop: () => emu.stop(),
    emulator: emu,
    seeded,
  };
}

export const sageMakerSandbox: SandboxPartFactory<SageMakerSandboxPart> = (opts) => startSageMakerSandbox(opts);
