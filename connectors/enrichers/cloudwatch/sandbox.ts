import type { SandboxPartFactory } from '../../../src/sandbox/part';
import { CloudWatchEmulator } from './emulator';
import { SANDBOX_WINDOW_DAYS, seedSandboxUsage } from './fixtures/sandbox';
import { SANDBOX_AWS, SANDBOX_AWS_CREDENTIALS, SANDBOX_ENDPOINTS, bulkEndpoints } from './fixtures/sandbox-endpoints';

/** CloudWatch for the sandbox: Invocations of the sandbox's SageMaker endpoints, and the enricher entry reading them. */
export const cloudwatchSandbox: SandboxPartFactory = async (opts) => {
  const emu = new CloudWatchEmulator({ credentials: [SANDBOX_AWS_CREDENTIALS] });
  const endpoints = opts.scale ? bulkEndpoints(opts.scale.models) : SANDBOX_ENDPOINTS;
  seedSandboxUsage(emu, endpoints, new Date());
  // A fault with only a delay, never used up: every response waits, as a remote API's would.
  if (opts.latencyMs) emu.server.faults.inject({ delayMs: opts.latencyMs, times: Number.POSITIVE_INFINITY });
  await emu.start();
  return {
    role: 'enricher',
    config: {
      name: 'cloudwatch',
      type: 'cloudwatch',
      accounts: [{ id: SANDBOX_AWS.account }],
      credentials: { accessKeyId: '${MASYNC_SANDBOX_AWS_ACCESS_KEY_ID}', secretAccessKey: '${MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY}' },
      endpoint: emu.url,
      windowDays: SANDBOX_WINDOW_DAYS,
    },
    env: { MASYNC_SANDBOX_AWS_ACCESS_KEY_ID: SANDBOX_AWS_CREDENTIALS.accessKeyId, MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY: SANDBOX_AWS_CREDENTIALS.secretAccessKey },
    describe: `CloudWatch emulator at ${emu.url}: Invocations of ${endpoints.length} SageMaker endpoint(s) in ${SANDBOX_AWS.account}/${SANDBOX_AWS.region} (busy, idle, traffic only on the window's first day)`,
    server: emu.server,
    stop: () => emu.stop(),
  };
};
