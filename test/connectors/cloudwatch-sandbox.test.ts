import { cloudwatchEnricher } from '../../connectors/enrichers/cloudwatch';
import { SANDBOX_ACCOUNT } from '../../connectors/sources/sagemaker/fixtures/sandbox';
import { SANDBOX_ENDPOINTS } from '../../connectors/sources/sagemaker/fixtures/sandbox-endpoints';
import { cloudwatchSandbox } from '../../connectors/enrichers/cloudwatch/sandbox';
import { costExplorerEnricher } from '../../connectors/enrichers/cost-explorer';
import { costExplorerSandbox } from '../../connectors/enrichers/cost-explorer/sandbox';
import { interpolate } from '../../src/config/interpolate';
import { standaloneContext, strictSourceContext, systemClock } from '../../src/engine/types';
import type { DeploymentItem } from '../../src/inventory';
import type { SandboxPart } from '../../src/sandbox/part';
import { testDeps } from '../support/deps';

const parts: SandboxPart[] = [];
afterEach(async () => {
  await Promise.all(parts.splice(0).map((p) => p.stop()));
});

const deployments: DeploymentItem[] = SANDBOX_ENDPOINTS.map((e) => ({
  kind: 'deployment',
  key: `sagemaker://${SANDBOX_ACCOUNT}/${e.region}/endpoints/${e.endpoint}${e.component ? `/components/${e.component}` : ''}`,
  source: 'sagemaker',
  name: e.component ?? e.endpoint,
  observedAt: new Date().toISOString(),
  tags: {},
  links: {},
  endpoint: e.endpoint,
  ...(e.component ? { component: e.component } : {}),
  status: 'InService',
  account: SANDBOX_ACCOUNT,
  region: e.region,
  variants: (e.component ? ['AllTraffic'] : e.variants).map((name) => ({ name, served: [] })),
}));
const keyOf = (name: string) => deployments.find((d) => d.name === name)?.key ?? '';

/** The part's config entry as masync would load it: ${ENV} references resolved from the part's env. */
function loaded(part: SandboxPart): unknown {
  const { value, problems } = interpolate(part.config, part.env, process.cwd());
  expect(problems).toEqual([]);
  return value;
}

describe('sandbox parts of the AWS enrichers (CloudWatch and Cost Explorer share one endpoint list)', () => {
  it('CloudWatch: a busy endpoint, a zombie and one with traffic only on the first day of the window', async () => {
    const part = await cloudwatchSandbox({});
    parts.push(part);
    expect(part.role).toBe('enricher');
    expect(JSON.stringify(part.config)).not.toContain(part.env.MASYNC_SANDBOX_AWS_SECRET_ACCESS_KEY);

    const deps = testDeps({ clock: systemClock });
    const enricher = cloudwatchEnricher.create(cloudwatchEnricher.schema.parse(loaded(part)), deps);
    const facts = await enricher.enrich(deployments, strictSourceContext(standaloneContext(deps.logger, deps.clock)));

    const busy = facts.usage.get(keyOf('fraud-detector-prod'));
    expect(busy?.daily).toHaveLength(14);
    expect(busy?.daily.every((n) => n > 0)).toBe(true);
    expect(facts.usage.get(keyOf('fraud-ab-test'))?.daily[0]).toBeGreaterThan(busy?.daily[0] ?? 0);
    expect(facts.usage.get(keyOf('credit-risk-nightly'))?.invocations).toBe(0);
    const poc = facts.usage.get(keyOf('sentiment-poc'));
    expect(poc?.daily[0]).toBe(12);
    expect(poc?.invocations).toBe(12);
    expect(facts.usage.get(keyOf('summarizer'))?.invocations).toBeGreaterThan(0);
    expect(facts.usage.get(keyOf('churn-scoring-eu'))?.invocations).toBeGreaterThan(0);
    expect(part.calls()['CloudWatch GetMetricData']?.roundTrips).toBe(part.minimumCalls?.({ warm: false }).calls);
  });

  it('Cost Explorer: tagged cost for some endpoints, none for the untagged one', async () => {
    const part = await costExplorerSandbox({});
    parts.push(part);
    const deps = testDeps({ clock: systemClock });
    const enricher = costExplorerEnricher.create(costExplorerEnricher.schema.parse(loaded(part)), deps);
    const facts = await enricher.enrich(deployments, strictSourceContext(standaloneContext(deps.logger, deps.clock)));

    expect(facts.cost.get(keyOf('fraud-detector-prod'))).toMatchObject({ monthly: 293.76, currency: 'USD', estimated: false });
    expect(facts.cost.get(keyOf('credit-risk-nightly'))?.monthly).toBe(529.92);
    expect(facts.cost.has(keyOf('fraud-ab-test'))).toBe(false);
    expect(facts.cost.has(keyOf('summarizer'))).toBe(false);
    expect(part.calls()['CostExplorer GetCostAndUsage']?.roundTrips).toBe(part.minimumCalls?.({ warm: false }).calls);
  });
});
