import type { SandboxPart, SandboxPartFactory } from '../../../src/sandbox/part';
import { tallyOperations } from '../../../src/sandbox/calls';
import { SANDBOX_ACCOUNT } from '../../sources/sagemaker/fixtures/sandbox';
import { SANDBOX_AWS_CREDENTIALS, SANDBOX_ENDPOINTS, bulkEndpoints } from '../../sources/sagemaker/fixtures/sandbox-endpoints';
import { CostExplorerEmulator } from './emulator';
import { SANDBOX_COST_WINDOW_DAYS, SANDBOX_TAG_KEY, costGroupsPerDay, seedSandboxCost } from './fixtures/sandbox';
import { costWindow, minimumRequests, periodToFetch } from './period';

/** Groups on one GetCostAndUsage page, as the emulator pages them (AWS returns a few at a time, its own number). */
const GROUPS_PER_PAGE = 50;

/** Cost Explorer for the sandbox: tagged SageMaker cost of the SageMaker sandbox's endpoints, and the enricher entry reading it. */
export const costExplorerSandbox: SandboxPartFactory = async (opts) => {
  const now = opts.now ?? new Date();
  const emu = new CostExplorerEmulator({ credentials: [SANDBOX_AWS_CREDENTIALS], pageSize: GROUPS_PER_PAGE });
  const endpoints = opts.scale ? bulkEndpoints(opts.scale.models) : SANDBOX_ENDPOINTS;
  seedSandboxCost(emu, endpoints, now);
  const url = await emu.start();
  if (opts.latencyMs) emu.server.setLatency(opts.latencyMs);
  const tagged = new Set(endpoints.filter((e) => e.tagged && !e.component).map((e) => e.endpoint)).size;
  return {
    role: 'enricher',
    config: {
      name: 'cost-explorer-sandbox',
      type: 'cost-explorer',
      accounts: [{ id: SANDBOX_ACCOUNT }],
      credentials: { accessKeyId: '${MASYNC_SANDBOX_AWS_ACCESS_KEY_ID}', secretAccessKey: '${MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY}' },
      endpoint: url,
      tagKey: SANDBOX_TAG_KEY,
      windowDays: SANDBOX_COST_WINDOW_DAYS,
    },
    env: { MASYNC_SANDBOX_AWS_ACCESS_KEY_ID: SANDBOX_AWS_CREDENTIALS.accessKeyId, MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY: SANDBOX_AWS_CREDENTIALS.secretAccessKey },
    describe: `Cost Explorer at ${url}: daily SageMaker cost of account ${SANDBOX_ACCOUNT}, ${tagged} endpoint(s) tagged ${SANDBOX_TAG_KEY}, the rest untagged`,
    server: emu.server,
    calls: () => {
      const other = emu.server.requests.length - emu.calls.length;
      return tallyOperations([...emu.calls.map(() => 'CostExplorer GetCostAndUsage'), ...Array.from({ length: other }, () => 'CostExplorer other operations')]);
    },
    minimumCalls: ({ warm }) => {
      const window = costWindow(new Date(), SANDBOX_COST_WINDOW_DAYS);
      // Days of a closed month are final (the emulator's rule, and AWS's once the month is invoiced); a warm cache holds them.
      const monthStart = `${window[window.length - 1]?.slice(0, 8) ?? ''}01`;
      const cached = new Set(warm ? window.filter((d) => d < monthStart) : []);
      const period = periodToFetch(window, cached);
      const days = period ? window.filter((d) => d >= period.Start).length : 0;
      const pages = minimumRequests(window, cached) === 0 ? 0 : Math.max(1, Math.ceil((days * costGroupsPerDay(endpoints)) / GROUPS_PER_PAGE));
      return {
        calls: pages,
        path: { enrich: pages },
        basis: `minimumRequests: ${days} day(s) to fetch${warm ? ` (${cached.size} final day(s) cached)` : ''} × ${costGroupsPerDay(endpoints)} cost group(s) a day, ${GROUPS_PER_PAGE} groups a page`,
      };
    },
    stop: () => emu.stop(),
  } satisfies SandboxPart;
};
