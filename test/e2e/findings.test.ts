import { sandboxParts } from '../../connectors/sandbox';
import { startSandbox, type PartsOf, type Sandbox } from '../../src/sandbox/sandbox';
import { json, runCli } from './cli';

interface FindingJson {
  type: string;
  key: string;
  severity: string;
  detail: string;
  monthlyWaste?: number;
}

interface SyncJson {
  status: string;
  planned: Record<string, number>;
  applied: Record<string, number>;
  notes: string[];
  errors: string[];
}

const HOURS = 730;
const ep = (name: string) => `sagemaker://111122223333/us-east-1/endpoints/${name}`;
const round = (n: number) => Math.round(n * 100) / 100;

/*
 * The whole sandbox `npm start` shows: MLflow, W&B and SageMaker read, with
 * CloudWatch usage and Cost Explorer cost, into ServiceNow and Jira Assets.
 * One sandbox and one first sync serve every test here: they only read.
 */
describe('the full sandbox: findings, costs and links end to end', () => {
  let box: Sandbox<PartsOf<typeof sandboxParts>>;
  let first: SyncJson;
  const cli = (...args: string[]) => runCli([...args, '-c', box.configFile], box.env);

  beforeAll(async () => {
    box = await startSandbox(sandboxParts);
    const init = await runCli(['init', box.configFile, '--sink', 'assets-sandbox', '--apply-schema'], box.env);
    expect(init.code).toBe(0);
    first = json<SyncJson>(await cli('sync', '--json'));
  }, 60_000);
  afterAll(() => box.stop());

  const ci = (key: string) => box.parts.servicenow.emulator.query('cmdb_ci', `correlation_id=${key}^discovery_source=masync`)[0];

  it('the first sync is clean and says why the idle serverless endpoint is no zombie', () => {
    expect(first).toMatchObject({ status: 'ok', errors: [] });
    expect(first.applied.create).toBeGreaterThan(0);
    expect(first.notes).toContainEqual(expect.stringMatching(/^churn-serverless: no invocations in 14 days, but serverless: it costs nothing idle/));
  });

  it('masync findings --json lists all four finding types, with the money each wastes', async () => {
    const r = await cli('findings', '--json');
    expect(r.code).toBe(0);
    const out = json<{ monthlyWaste: number; findings: FindingJson[] }>(r);
    const of = (type: string, key: string) => out.findings.find((f) => f.type === type && f.key === key);
    expect(new Set(out.findings.map((f) => f.type))).toEqual(new Set(['zombie', 'retired-but-serving', 'shadow', 'unserved-production']));
    // Billed by Cost Explorer: a g4dn.xlarge every day of the 30-day window.
    expect(of('zombie', ep('credit-risk-nightly'))).toMatchObject({ severity: 'high', monthlyWaste: round(0.736 * 24 * 30) });
    // Untagged: the price table's estimate of one m5.large.
    expect(of('retired-but-serving', ep('credit-risk-canary'))).toMatchObject({ monthlyWaste: round(0.134 * HOURS), detail: expect.stringContaining('credit-risk v2 (rejected)') });
    expect(of('shadow', ep('sentiment-poc'))?.monthlyWaste).toBe(round(1.408 * HOURS));
    expect(of('unserved-production', 'mlflow://mlflow.sandbox/models/churn-predictor/versions/2')).toBeDefined();
    expect(out.findings.some((f) => [ep('churn-serverless'), ep('fraud-detector-prod'), ep('fraud-scoring-edge')].includes(f.key))).toBe(false);
    expect(out.monthlyWaste).toBe(round(out.findings.reduce((n, f) => n + (f.monthlyWaste ?? 0), 0)));
  });

  it('ServiceNow deployment CIs depend on the versions they serve, and carry cost, invocations and findings', () => {
    const sn = box.parts.servicenow.emulator;
    const dependsOn = sn.query('cmdb_rel_type', 'name=Depends on::Used by')[0]?.sys_id;
    const served = (endpoint: string) =>
      sn
        .query('cmdb_rel_ci', `parent=${ci(ep(endpoint))?.sys_id}^type=${dependsOn}`)
        .map((r) => sn.get('cmdb_ci', r.child ?? '')?.correlation_id)
        .sort();
    const mlflow = (v: number) => `mlflow://mlflow.sandbox/models/fraud-detector/versions/${v}`;
    // By the MLFLOW_RUN_ID hint; the A/B challenger by its model data lying under v3's artifact URI.
    expect(served('fraud-detector-prod')).toEqual([mlflow(2)]);
    expect(served('fraud-ab-test')).toEqual([mlflow(2), mlflow(3)]);
    expect(served('credit-risk-canary')).toEqual(['sagemaker://111122223333/us-east-1/model-package-groups/credit-risk/versions/2']);
    // By its wandb.artifact tag, naming the W&B registry's production alias: the version that holds it, in its own project.
    expect(served('fraud-scoring-edge')).toEqual(['wandb://wandb.sandbox/ml-team/fraud/fraud-detector:v1']);

    expect(ci(ep('fraud-detector-prod'))).toMatchObject({ u_ml_cost_estimated: 'false', u_ml_monthly_cost: String(round(0.204 * 2 * 24 * 30)), u_ml_cost_currency: 'USD' });
    expect(ci(ep('fraud-detector-prod'))?.u_ml_findings ?? '').toBe('');
    expect(Number(ci(ep('fraud-detector-prod'))?.u_ml_invocations)).toBeGreaterThan(0);
    // Two variants, untagged: the estimate sums both.
    expect(ci(ep('fraud-ab-test'))).toMatchObject({ u_ml_cost_estimated: 'true', u_ml_monthly_cost: String(round((0.204 + 0.408) * HOURS)) });
    expect(ci(ep('fraud-ab-test'))?.u_ml_cost_basis).toMatch(/ml\.c5\.xlarge × 1 \+ ml\.c5\.2xlarge × 1/);
    expect(ci(ep('credit-risk-nightly'))).toMatchObject({ u_ml_invocations: '0', u_ml_findings: expect.stringMatching(/^zombie \(high, since .*\): in service for 200 days/) });
  });

  it('a second sync writes nothing to either sink, findings included, and the AWS enrichers read no more than a warm run must', async () => {
    const before = [box.parts.servicenow.view.writes(), box.parts.jiraAssets.view.writes()];
    const enrichers = [box.parts.cloudwatch, box.parts.costExplorer];
    const roundTrips = () => enrichers.map((p) => Object.values(p.calls()).reduce((n, c) => n + c.roundTrips, 0));
    const callsBefore = roundTrips();
    const again = json<SyncJson>(await cli('sync', '--json'));
    expect(roundTrips().map((n, i) => n - (callsBefore[i] as number))).toEqual(enrichers.map((p) => p.minimumCalls?.({ warm: true }).calls));
    expect(again).toMatchObject({ status: 'ok', planned: { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 } });
    expect([box.parts.servicenow.view.writes(), box.parts.jiraAssets.view.writes()]).toEqual(before);
  });
});
