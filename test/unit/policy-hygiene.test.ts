import { policiesSchema } from '../../src/config/schema';
import { runPolicies, type PoliciesConfig } from '../../src/enrich/findings';
import { policyInput } from '../../src/enrich/policy';
import type { InventoryItem } from '../../src/inventory';
import { deployment } from '../support/deployments';
import { modelItem, versionItem } from '../support/items';

const NOW = new Date('2026-11-23T12:00:00Z');
const GONE = 'mlflow://m/models/fraud/versions/1';

function judge(type: string, items: InventoryItem[], policies: Record<string, unknown>) {
  const config = policiesSchema.parse(policies) as PoliciesConfig;
  const out = runPolicies(policyInput(items, new Set([GONE]), true, NOW), config);
  return { raised: out.raised.filter((r) => r.finding.type === type), evaluated: out.evaluated.get(type) ?? new Set<string>() };
}
const short = (key: string) => key.replace(/^.*\/(models|endpoints)\//, '');

describe('missing-owner and missing-cost-center', () => {
  const owned = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud', { owner: 'alice', costCenter: 'CC-1' });
  const orphan = modelItem('mlflow://m/models/churn', 'mlflow', 'churn', { owner: ' ' });
  const liveOrphan = deployment('churn-api');
  const stopped = deployment('old-api', { status: 'OutOfService' });
  const items = [owned, orphan, versionItem(orphan, '1'), liveOrphan, stopped];

  it('raised on models and live deployments without one; a blank value is none; versions are not judged by default', () => {
    const r = judge('missing-owner', items, { missingOwner: { enabled: true } });
    expect(r.raised.map((f) => short(f.key))).toEqual(['churn', 'churn-api']);
    expect(r.raised[0]?.finding).toEqual({ type: 'missing-owner', severity: 'medium', detail: 'model churn has no owner: tag the model (or version) in its registry with its owner' });
    expect(r.raised[1]?.finding.detail).toBe('deployment churn-api has no owner: tag the endpoint with its owner');
    // A deployment that stopped serving is judged, and clean: an open finding on it clears.
    expect(r.evaluated.has(stopped.key)).toBe(true);
    expect(r.evaluated.has(`${orphan.key}/versions/1`)).toBe(false);
  });

  it('cost center likewise, on the kinds configured', () => {
    const r = judge('missing-cost-center', items, { missingCostCenter: { enabled: true, kinds: ['model'], severity: 'high' } });
    expect(r.raised.map((f) => [short(f.key), f.finding.severity])).toEqual([['churn', 'high']]);
    expect(r.evaluated.has(liveOrphan.key)).toBe(false);
  });
});

describe('missing-lineage', () => {
  const fraud = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud');
  const bare = versionItem(fraud, '2', { stage: 'Production', datasets: [{ name: 'fraud/raw' }] });
  it('a production version with no run, no dataset digest and no params; any one of them is lineage', () => {
    const withRun = versionItem(fraud, '3', { stage: 'Production', runId: 'abc' });
    const withDigest = versionItem(fraud, '4', { aliases: ['champion'], datasets: [{ name: 'd', digest: 'sha256:1' }] });
    const withParams = versionItem(fraud, '5', { stage: 'Production', params: { depth: '6' } });
    const scratch = versionItem(fraud, '6');
    const r = judge('missing-lineage', [fraud, bare, withRun, withDigest, withParams, scratch], { missingLineage: { enabled: true } });
    expect(r.raised.map((f) => short(f.key))).toEqual(['fraud/versions/2']);
    expect(r.raised[0]?.finding.detail).toBe('fraud v2 has no training run, no dataset digest and no params (its 1 dataset(s) carry no digest): register it from the run that trained it');
    expect([...r.evaluated].map(short).sort()).toEqual(['fraud/versions/1', 'fraud/versions/2', 'fraud/versions/3', 'fraud/versions/4', 'fraud/versions/5', 'fraud/versions/6']);
  });

  it('with productionOnly off, every version is judged', () => {
    const scratch = versionItem(fraud, '6');
    expect(judge('missing-lineage', [fraud, scratch], { missingLineage: { enabled: true, productionOnly: false } }).raised.map((f) => short(f.key))).toEqual(['fraud/versions/6']);
  });
});

describe('no-retirement-plan', () => {
  const plan = { 'retirement.replacement_criterion': 'auc < 0.85', 'retirement.replacement_candidate': 'fraud v4', 'retirement.cutover_steps': 'shift 10 % a day', 'retirement.data_deletion_plan': '30 days after' };
  it('a production version missing any part of the plan, named with its tag', () => {
    const fraud = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud');
    const { 'retirement.cutover_steps': _c, ...partial } = plan;
    const r = judge('no-retirement-plan', [fraud, versionItem(fraud, '3', { stage: 'Production', tags: partial }), versionItem(fraud, '4', { stage: 'Staging' })], { noRetirementPlan: { enabled: true } });
    expect(r.raised.map((f) => f.finding.detail)).toEqual(['fraud v3 is in production without a retirement plan: missing cutover steps (tag retirement.cutover_steps)']);
    expect(r.evaluated.size).toBe(3); // both versions and the one gone
  });

  it('the model’s tags cover all its versions; tag names are configurable', () => {
    const fraud = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud', { tags: plan });
    expect(judge('no-retirement-plan', [fraud, versionItem(fraud, '3', { stage: 'Production' })], { noRetirementPlan: { enabled: true } }).raised).toEqual([]);
    const custom = { noRetirementPlan: { enabled: true, tags: { replacementCriterion: 'rc', replacementCandidate: 'rcand', cutoverSteps: 'cut', dataDeletionPlan: 'del' } } };
    const tagged = versionItem(fraud, '3', { stage: 'Production', tags: { rc: 'x', rcand: 'y', cut: 'z' } });
    expect(judge('no-retirement-plan', [modelItem(fraud.key, 'mlflow', 'fraud'), tagged], custom).raised.map((f) => f.finding.detail)).toEqual([
      'fraud v3 is in production without a retirement plan: missing data deletion plan (tag del)',
    ]);
  });
});
