import { policiesSchema } from '../../src/config/schema';
import { runPolicies, type PoliciesConfig } from '../../src/enrich/findings';
import { metricDirection } from '../../src/enrich/findings/metric-direction';
import { policyInput } from '../../src/enrich/policy';
import type { InventoryItem, ModelVersionItem } from '../../src/inventory';
import { modelItem, versionItem } from '../support/items';

const NOW = new Date('2026-11-23T12:00:00Z');
const fraud = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud');
const churn = modelItem('mlflow://m/models/churn', 'mlflow', 'churn');
const prod = (model: InventoryItem, v: string, metrics: Record<string, number>, extra: Partial<ModelVersionItem> = {}) => versionItem(model, v, { stage: 'Production', metrics, ...extra });

function judge(items: InventoryItem[], retirementCandidate: Record<string, unknown>, gone: string[] = []) {
  const config = policiesSchema.parse({ retirementCandidate: { enabled: true, ...retirementCandidate } }) as PoliciesConfig;
  const out = runPolicies(policyInput(items, new Set(gone), false, NOW), config);
  return { raised: out.raised.filter((r) => r.finding.type === 'retirement-candidate'), evaluated: out.evaluated.get('retirement-candidate') ?? new Set<string>() };
}
const raisedOn = (r: ReturnType<typeof judge>) => r.raised.map((f) => f.key.split('/models/')[1]);

describe('retirement-candidate', () => {
  it('a score below its threshold raises it; at or above it does not (accuracy-like metrics)', () => {
    const low = prod(fraud, '3', { auc: 0.79 });
    const edge = prod(churn, '2', { auc: 0.8 });
    const r = judge([fraud, churn, low, edge], { metrics: { auc: 0.8 } });
    expect(raisedOn(r)).toEqual(['fraud/versions/3']);
    expect(r.raised[0]?.finding).toEqual({ type: 'retirement-candidate', severity: 'medium', detail: 'fraud v3 is in production, but auc 0.79 is below its threshold 0.8: plan its replacement' });
  });

  it('an error above its threshold raises it; at or below it does not (error-like metrics)', () => {
    const r = judge([fraud, churn, prod(fraud, '3', { val_rmse: 12.5 }), prod(churn, '2', { val_rmse: 12 })], { metrics: { val_rmse: 12 } });
    expect(raisedOn(r)).toEqual(['fraud/versions/3']);
    expect(r.raised[0]?.finding.detail).toContain('val_rmse 12.5 is above its threshold 12');
  });

  it('the configured direction wins over the name; a per-model threshold (by name or key) overrides the global one', () => {
    const custom = judge([fraud, prod(fraud, '3', { auc: 0.3 })], { metrics: { auc: { threshold: 0.2, direction: 'above' } } });
    expect(raisedOn(custom)).toEqual(['fraud/versions/3']);
    const items = [fraud, churn, prod(fraud, '3', { f1: 0.85 }), prod(churn, '2', { f1: 0.85 })];
    expect(raisedOn(judge(items, { metrics: { f1: 0.8 }, models: { fraud: { f1: 0.9 } } }))).toEqual(['fraud/versions/3']);
    expect(raisedOn(judge(items, { metrics: { f1: 0.8 }, models: { [churn.key]: { f1: 0.9 } } }))).toEqual(['churn/versions/2']);
    // The key is more specific than the name.
    expect(raisedOn(judge(items, { models: { fraud: { f1: 0.9 }, [fraud.key]: { f1: 0.5 } } }))).toEqual([]);
  });

  it('judges production versions only (stage or alias); a metric it lacks leaves it unjudged, so an open finding stays', () => {
    const staging = versionItem(fraud, '4', { stage: 'Staging', metrics: { auc: 0.5 } });
    const champion = versionItem(churn, '5', { aliases: ['champion'], metrics: { AUC: 0.5 } });
    const unmeasured = prod(fraud, '3', { loss: 0.2 });
    const r = judge([fraud, churn, staging, champion, unmeasured], { metrics: { auc: 0.8 } }, ['mlflow://m/models/fraud/versions/1']);
    expect(raisedOn(r)).toEqual(['churn/versions/5']);
    expect(r.evaluated.has(staging.key)).toBe(true);
    expect(r.evaluated.has(unmeasured.key)).toBe(false);
    expect(r.evaluated.has('mlflow://m/models/fraud/versions/1')).toBe(true); // deleted from its registry: judged gone
  });

  it('off by default, and judges nothing then (not even what left its source)', () => {
    const config = policiesSchema.parse({}) as PoliciesConfig;
    const out = runPolicies(policyInput([fraud, prod(fraud, '3', { auc: 0.1 })], new Set(['mlflow://m/models/fraud/versions/1']), false, NOW), config);
    expect(out.raised).toEqual([]);
    expect(out.evaluated.get('retirement-candidate')?.size).toBe(0);
  });

  it('a bare threshold on a metric whose name says nothing is a config error naming the fix', () => {
    const r = policiesSchema.safeParse({ retirementCandidate: { metrics: { custom_score: 0.5 } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['retirementCandidate', 'metrics', 'custom_score']);
    expect(r.error?.issues[0]?.message).toContain('{threshold: 0.5, direction: below}');
  });
});

describe('metric direction from the name', () => {
  it.each([
    ['auc', 'below'],
    ['val_auc', 'below'],
    ['test/roc_auc', 'below'],
    ['f1', 'below'],
    ['r2_score', 'below'],
    ['gini', 'below'],
    ['meanAbsoluteError', 'above'],
    ['val_loss', 'above'],
    ['rmse', 'above'],
    ['mape', 'above'],
    ['custom_score', undefined],
    ['auc_loss', undefined],
  ])('%s → %s', (metric, direction) => expect(metricDirection(metric)).toBe(direction));
});
