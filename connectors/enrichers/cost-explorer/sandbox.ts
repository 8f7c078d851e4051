import type { SandboxPartFactory } from '../../../src/sandbox/part';
import { SANDBOX_AWS, SANDBOX_AWS_CREDENTIALS, SANDBOX_ENDPOINTS, bulkEndpoints } from '../cloudwatch/fixtures/sandbox-endpoints';
import { CostExplorerEmulator } from './emulator';
import { SANDBOX_COST_WINDOW_DAYS, SANDBOX_TAG_KEY, seedSandboxCost } from './fixtures/sandbox';

/** Cost Explorer for the sandbox: tagged SageMaker cost of the sandbox's endpoints, and the enricher entry reading it. */
export const costExplorerSandbox: SandboxPartFactory = async (opts) => {
  const emu = new CostExplorerEmulator({ credentials: [SANDBOX_AWS_CREDENTIALS] });
  const endpoints = opts.scale ? bulkEndpoints(opts.scale.models) : SANDBOX_ENDPOINTS;
  seedSandboxCost(emu, endpoints, new Date());
  // A fault with only a delay, never used up: every response waits, as a remote API's would.
  if (opts.latencyMs) emu.server.faults.inject({ delayMs: opts.latencyMs, times: Number.POSITIVE_INFINITY });
  await emu.start();
  const tagged = endpoints.filter((e) => e.tagged).length;
  return {
    role: 'enricher',
    config: {
      name: 'cost-explorer',
      type: 'cost-explorer',
      accounts: [{ id: SANDBOX_AWS.account }],
      credentials: { accessKeyId: '${MASYNC_SANDBOX_AWS_ACCESS_KEY_ID}', secretAccessKey: '${MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY}' },
      endpoint: emu.url,
      tagKey: SANDBOX_TAG_KEY,
      windowDays: SANDBOX_COST_WINDOW_DAYS,
    },
    env: { MASYNC_SANDBOX_AWS_ACCESS_KEY_ID: SANDBOX_AWS_CREDENTIALS.accessKeyId, MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY: SANDBOX_AWS_CREDENTIALS.secretAccessKey },
    describe: `Cost Explorer emulator at ${emu.url}: daily SageMaker cost of ${endpoints.length} endpoint(s), ${tagged} tagged ${SANDBOX_TAG_KEY}`,
    server: emu.server,
    stop: () => emu.stop(),
  };
};
