import { policiesSchema } from '../../src/config/schema';
import { runPolicies, type PoliciesConfig } from '../../src/enrich/findings';
import { isPinned, PINNED_PATTERNS } from '../../src/enrich/findings/vendor-reference';
import { policyInput } from '../../src/enrich/policy';
import type { InventoryItem, ModelVersionItem } from '../../src/inventory';
import { modelItem, versionItem } from '../support/items';

const NOW = new Date('2026-11-23T12:00:00Z');

function judge(type: string, items: InventoryItem[], policies: Record<string, unknown>) {
  const config = policiesSchema.parse(policies) as PoliciesConfig;
  const out = runPolicies(policyInput(items, new Set(), false, NOW), config);
  return { raised: out.raised.filter((r) => r.finding.type === type), evaluated: out.evaluated.get(type) ?? new Set<string>() };
}
const fraud = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud');
const v = (n: string, extra: Partial<ModelVersionItem> = {}) => versionItem(fraud, n, extra);

describe('unpinned-vendor-model', () => {
  const on = { unpinnedVendorModel: { enabled: true } };
  it.each([
    ['gpt-4o', false],
    ['claude-3-5-sonnet-latest', false],
    ['gpt-4o-mini', false],
    ['gpt-4o-2024-08-06', true],
    ['claude-3-5-sonnet-20241022', true],
    ['anthropic.claude-3-5-sonnet-20241022-v2:0', true],
    ['claude-3-5-sonnet-v2@20241022', true],
    ['gemini-1.5-pro-002', true],
    ['mistral-large-2407', true],
    ['mistral-large-latest', false],
  ])('%s pinned: %s', (ref, pinned) => expect(isPinned(ref, PINNED_PATTERNS.map((p) => new RegExp(p)))).toBe(pinned));

  it('raised on a version naming a floating vendor model in a tag, a param or its model’s tags; a pinned one or none is clean', () => {
    const floating = v('1', { tags: { 'llm.model': 'gpt-4o' } });
    const byParam = v('2', { params: { vendor_model: 'claude-3-5-sonnet-latest' } });
    const pinned = v('3', { tags: { 'llm.model': 'gpt-4o-2024-08-06' } });
    const classic = v('4');
    const r = judge('unpinned-vendor-model', [fraud, floating, byParam, pinned, classic], on);
    expect(r.raised.map((f) => f.finding.detail)).toEqual([
      'fraud v1 calls vendor model "gpt-4o" (tag llm.model), a floating name the vendor can repoint: pin a dated snapshot (a name like gpt-4o-2024-08-06)',
      'fraud v2 calls vendor model "claude-3-5-sonnet-latest" (param vendor_model), a floating name the vendor can repoint: pin a dated snapshot (a name like gpt-4o-2024-08-06)',
    ]);
    expect(r.evaluated.size).toBe(4);
    const modelTagged = modelItem(fraud.key, 'mlflow', 'fraud', { tags: { 'openai.model': 'gpt-4o' } });
    expect(judge('unpinned-vendor-model', [modelTagged, classic], on).raised.map((f) => f.finding.detail)).toEqual([expect.stringContaining('(model tag openai.model)')]);
  });

  it('where the reference lives and what counts as pinned are configurable', () => {
    const r = judge('unpinned-vendor-model', [fraud, v('1', { tags: { foundation: 'acme-large@7' } })], { unpinnedVendorModel: { enabled: true, referenceKeys: ['foundation'], pinnedPatterns: ['@\\d+$'] } });
    expect(r.raised).toEqual([]);
    expect(policiesSchema.safeParse({ unpinnedVendorModel: { pinnedPatterns: ['(unclosed'] } }).success).toBe(false);
  });
});

describe('rollback-depth', () => {
  it('counts earlier versions kept (not archived, rejected or deleted) below the newest production one', () => {
    const versions = [v('1', { stage: 'Archived' }), v('2', { approval: 'Rejected' }), v('3'), v('4', { status: 'DELETED' }), v('5', { stage: 'Staging' }), v('6', { stage: 'Production' }), v('7')];
    const r = judge('rollback-depth', [fraud, ...versions], { rollbackDepth: { enabled: true, minVersions: 3 } });
    expect(r.raised.map((f) => [f.key, f.finding.detail])).toEqual([
      [fraud.key, 'fraud v6 is in production with 2 earlier version(s) kept to roll back to (v3, v5); the policy asks for 3: keep earlier versions rather than archive or delete them'],
    ]);
    expect(judge('rollback-depth', [fraud, ...versions], { rollbackDepth: { enabled: true, minVersions: 2 } }).raised).toEqual([]);
  });

  it('the default asks for 5; a model with nothing in production is judged clean', () => {
    const five = ['1', '2', '3', '4', '5'].map((n) => v(n));
    expect(judge('rollback-depth', [fraud, ...five, v('6', { aliases: ['prod'] })], { rollbackDepth: { enabled: true } }).raised).toEqual([]);
    expect(judge('rollback-depth', [fraud, ...five.slice(1), v('6', { aliases: ['prod'] })], { rollbackDepth: { enabled: true } }).raised).toHaveLength(1);
    const idle = judge('rollback-depth', [fraud, v('1')], { rollbackDepth: { enabled: true } });
    expect(idle.raised).toEqual([]);
    expect(idle.evaluated.has(fraud.key)).toBe(true);
  });
});

describe('stale', () => {
  const on = { stale: { enabled: true, maxAgeDays: 90 } };
  it('a production model with neither a version nor an evaluation within the period; dates, not day counts, in the detail', () => {
    const old = [v('1', { createdAt: '2026-01-10T00:00:00Z' }), v('2', { stage: 'Production', createdAt: '2026-03-01T00:00:00Z' })];
    const r = judge('stale', [fraud, ...old], on);
    expect(r.raised.map((f) => [f.key, f.finding.detail])).toEqual([[fraud.key, 'fraud is in production with no new version since 2026-03-01 and no evaluation date recorded; the policy asks for one within 90 days']]);
  });

  it('a recent version or a recent evaluation tag (on a version or the model) keeps it fresh; the period edge is fresh', () => {
    const old = v('2', { stage: 'Production', createdAt: '2026-03-01T00:00:00Z' });
    expect(judge('stale', [fraud, old, v('3', { createdAt: '2026-11-01T00:00:00Z' })], on).raised).toEqual([]);
    expect(judge('stale', [fraud, v('2', { stage: 'Production', createdAt: '2026-03-01T00:00:00Z', tags: { last_evaluated: '2026-10-30' } })], on).raised).toEqual([]);
    const evaluatedModel = modelItem(fraud.key, 'mlflow', 'fraud', { tags: { evaluation_date: '2026-08-25T12:00:00Z' } });
    expect(judge('stale', [evaluatedModel, old], on).raised).toEqual([]); // exactly 90 days
    expect(judge('stale', [modelItem(fraud.key, 'mlflow', 'fraud', { tags: { evaluation_date: '2026-08-25T11:59:59Z' } }), old], on).raised).toHaveLength(1);
  });

  it('a production model without any date is not judged (its age is unknown, not old); one not in production is clean', () => {
    const undated = judge('stale', [fraud, v('1', { stage: 'Production' })], on);
    expect(undated.raised).toEqual([]);
    expect(undated.evaluated.has(fraud.key)).toBe(false);
    expect(judge('stale', [fraud, v('1', { createdAt: '2020-01-01T00:00:00Z' })], on).evaluated.has(fraud.key)).toBe(true);
  });
});
