import type { SandboxPart, SandboxPartFactory } from '../../../src/sandbox/part';
import { tallyOperations } from '../../../src/sandbox/calls';
import { SANDBOX_ACCOUNT } from '../../sources/sagemaker/fixtures/sandbox';
import { SANDBOX_AWS_CREDENTIALS, SANDBOX_ENDPOINTS, bulkEndpoints } from '../../sources/sagemaker/fixtures/sandbox-endpoints';
import { CloudWatchEmulator } from './emulator';
import { SANDBOX_WINDOW_DAYS, seedSandboxUsage } from './fixtures/sandbox';

/** GetMetricData's limits per call: metrics, and datapoints over all of them. */
const QUERIES_PER_CALL = 500;
const DATAPOINTS_PER_CALL = 100_800;

/** CloudWatch for the sandbox: Invocations of the SageMaker sandbox's endpoints, and the enricher entry reading them. */
export const cloudwatchSandbox: SandboxPartFactory = async (opts) => {
  const emu = new CloudWatchEmulator({ credentials: [SANDBOX_AWS_CREDENTIALS] });
  const endpoints = opts.scale ? bulkEndpoints(opts.scale.models) : SANDBOX_ENDPOINTS;
  seedSandboxUsage(emu, endpoints, opts.now ?? new Date());
  const url = await emu.start();
  if (opts.latencyMs) emu.server.setLatency(opts.latencyMs);
  const regions = [...new Set(endpoints.map((e) => e.region))];
  return {
    role: 'enricher',
    config: {
      name: 'cloudwatch-sandbox',
      type: 'cloudwatch',
      accounts: [{ id: SANDBOX_ACCOUNT }],
      credentials: { accessKeyId: '${MASYNC_SANDBOX_AWS_ACCESS_KEY_ID}', secretAccessKey: '${MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY}' },
      endpoint: url,
      windowDays: SANDBOX_WINDOW_DAYS,
    },
    env: { MASYNC_SANDBOX_AWS_ACCESS_KEY_ID: SANDBOX_AWS_CREDENTIALS.accessKeyId, MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY: SANDBOX_AWS_CREDENTIALS.secretAccessKey },
    describe: `CloudWatch at ${url}: Invocations of ${endpoints.length} SageMaker endpoint(s) and component(s) in ${SANDBOX_ACCOUNT}/${regions.join(', ')} (busy, idle, traffic only on the window's first day)`,
    server: emu.server,
    calls: () => tallyOperations(emu.calls.map(() => 'CloudWatch GetMetricData')),
    minimumCalls: () => {
      // One series per variant (or component); a call holds as many as both per-call limits allow; regions are separate calls, side by side.
      const perCall = Math.min(QUERIES_PER_CALL, Math.floor(DATAPOINTS_PER_CALL / SANDBOX_WINDOW_DAYS));
      const calls = regions.map((r) => Math.ceil(endpoints.filter((e) => e.region === r).reduce((n, e) => n + Math.max(1, e.variants.length), 0) / perCall));
      return {
        calls: calls.reduce((a, b) => a + b, 0),
        path: { enrich: 1 },
        basis: `GetMetricData: the series of each region, ${perCall} to a call (${QUERIES_PER_CALL} queries and ${DATAPOINTS_PER_CALL} datapoints over ${SANDBOX_WINDOW_DAYS} days at most)`,
      };
    },
    stop: () => emu.stop(),
  } satisfies SandboxPart;
};
