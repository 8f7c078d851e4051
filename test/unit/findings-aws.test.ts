import { runPolicies, type PoliciesConfig } from '../../src/enrich/findings';
import { policyInput } from '../../src/enrich/policy';
import { policiesSchema } from '../../src/config/schema';
import type { InventoryItem } from '../../src/inventory';
import { deployment, usage } from '../support/deployments';
import { modelItem, versionItem } from '../support/items';

const NOW = new Date('2026-11-23T12:00:00Z');
const config: PoliciesConfig = policiesSchema.parse({});
const judge = (items: InventoryItem[], readsDeployments = true, gone: string[] = []) => runPolicies(policyInput(items, new Set(gone), readsDeployments, NOW), config);
const types = (items: InventoryItem[]) => judge(items).raised.map((r) => `${r.finding.type} ${r.key.split('/').pop() ?? ''}`);
const fourteen = (n = 0) => Array.from({ length: 14 }, () => n);
const cost = { monthly: 98.11, currency: 'USD', estimated: true, basis: 'price table' };

const fraud = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud');
const live = versionItem(fraud, '2', { stage: 'Production' });
const old = versionItem(fraud, '1', { stage: 'Archived' });
const served = (name: string, key: string, extra = {}) =>
  deployment(name, { servesVersionKey: key, serves: [key], variants: [{ name: 'AllTraffic', instanceType: 'ml.m5.large', currentInstanceCount: 1, served: [], servesVersionKey: key }], ...extra });

describe('zombie', () => {
  it('raised for a live, old endpoint with no invocation on any day of the window, with the money it wastes', () => {
    const z = served('idle', live.key, { usage: usage(fourteen()), cost });
    const out = judge([fraud, live, z]);
    expect(out.raised).toEqual([
      { key: z.key, currency: 'USD', finding: { type: 'zombie', severity: 'high', detail: expect.stringContaining('no invocations in the last 14 days; $98.11/month'), monthlyWaste: 98.11 } },
    ]);
    expect(out.evaluated.get('zombie')?.has(z.key)).toBe(true);
  });

  it('window edges: traffic on the first day of a 14-day window clears it; traffic only the day before does not count', () => {
    const first = fourteen();
    first[0] = 3;
    expect(types([fraud, live, served('edge', live.key, { usage: usage(first), cost })])).toEqual([]);
    const before = [5, ...fourteen()];
    expect(types([fraud, live, served('before', live.key, { usage: usage(before), cost })])).toEqual(['zombie before']);
  });

  it('missing usage (the enricher could not read it) is not zero: not judged, and an open finding stays open', () => {
    const out = judge([fraud, live, served('unknown', live.key, { cost })]);
    expect(out.raised).toEqual([]);
    expect(out.evaluated.get('zombie')?.size).toBe(0);
  });

  it('age gate: an endpoint younger than minAgeDays is not a zombie yet', () => {
    const young = served('young', live.key, { usage: usage(fourteen()), createdAt: '2026-11-20T00:00:00Z' });
    expect(types([fraud, live, young])).toEqual([]);
  });

  it('serverless and scale-to-zero endpoints are exempt, and the notes say why', () => {
    const sl = deployment('sl', { usage: usage(fourteen()), servesVersionKey: live.key, serves: [live.key], variants: [{ name: 'AllTraffic', serverless: { memorySizeMb: 2048, maxConcurrency: 5 }, served: [] }] });
    const s2z = deployment('s2z', { usage: usage(fourteen()), servesVersionKey: live.key, serves: [live.key], variants: [{ name: 'AllTraffic', instanceType: 'ml.m5.large', currentInstanceCount: 1, minInstanceCount: 0, served: [] }] });
    const out = judge([fraud, live, sl, s2z]);
    expect(out.raised.filter((r) => r.finding.type === 'zombie')).toEqual([]);
    expect(out.notes).toEqual(expect.arrayContaining([expect.stringContaining('sl: no invocations in 14 days, but serverless'), expect.stringContaining('s2z: no invocations in 14 days, but it scales to zero')]));
  });

  it('an endpoint not in service (OutOfService, Failed) bills nothing and is no zombie', () => {
    // The version it served is now production that nothing serves: that finding, and no zombie.
    expect(types([fraud, live, served('off', live.key, { usage: usage(fourteen()), status: 'OutOfService' })])).toEqual(['unserved-production 2']);
  });
});

describe('retired-but-serving, shadow, unserved-production', () => {
  it('retired-but-serving: a live endpoint serving an archived, rejected or deleted version', () => {
    const rejected = versionItem(modelItem('sagemaker://1/us-east-1/model-package-groups/g', 'sm', 'g'), '7', { approval: 'Rejected' });
    const gone = 'mlflow://m/models/fraud/versions/0';
    const out = judge([fraud, live, old, rejected, served('a', old.key, { cost }), served('b', rejected.key), served('c', gone), served('ok', live.key)], true, [gone]);
    expect(out.raised.filter((r) => r.finding.type === 'retired-but-serving').map((r) => [r.key.split('/').pop(), r.finding.detail])).toEqual([
      ['a', 'serves fraud v1 (archived); $98.11/month'],
      ['b', 'serves g v7 (rejected); cost unknown'],
      ['c', `serves ${gone} (deleted from its registry); cost unknown`],
    ]);
  });

  it('shadow: a live deployment that serves no registered version; linked ones are not shadows', () => {
    const shadow = deployment('mystery', { cost, variants: [{ name: 'AllTraffic', instanceType: 'ml.m5.large', currentInstanceCount: 1, served: [{ modelName: 'home-made', modelDataUrl: 's3://x/model.tar.gz' }] }] });
    const out = judge([fraud, live, shadow, served('ok', live.key)]);
    expect(out.raised.filter((r) => r.finding.type === 'shadow')).toEqual([
      { key: shadow.key, currency: 'USD', finding: { type: 'shadow', severity: 'medium', detail: 'serves home-made that no registry masync reads knows; $98.11/month', monthlyWaste: 98.11 } },
    ]);
  });

  it('shadow: an endpoint that only hosts inference components is not one; a component serving nothing registered is', () => {
    const host = deployment('llm-host', { cost, variants: [{ name: 'AllTraffic', instanceType: 'ml.g5.2xlarge', currentInstanceCount: 1, served: [] }] });
    const component = (name: string, extra = {}) => deployment('llm-host', { key: `${host.key}/components/${name}`, name, component: name, variants: [{ name: 'AllTraffic', served: [{ modelName: name }] }], ...extra });
    const out = judge([fraud, live, host, component('linked', { servesVersionKey: live.key, serves: [live.key] }), component('home-made')]);
    expect(out.raised.filter((r) => r.finding.type === 'shadow').map((r) => r.key)).toEqual([`${host.key}/components/home-made`]);
    // Without components beside it, an endpoint serving nothing is a shadow as before.
    expect(judge([fraud, live, host]).raised.filter((r) => r.finding.type === 'shadow').map((r) => r.key)).toEqual([host.key]);
  });

  it('unserved-production: a production version (stage or alias) nothing live serves; only when deployments are read at all', () => {
    const champion = versionItem(modelItem('wandb://w/e/p/c', 'wandb', 'c'), '3', { aliases: ['champion'] });
    const items = [fraud, live, champion, served('down', live.key, { status: 'Failed' })];
    expect(judge(items).raised.map((r) => r.key).sort()).toEqual([champion.key, live.key].sort());
    expect(judge([fraud, live, served('up', live.key)]).raised).toEqual([]);
    expect(judge([fraud, live], false).raised).toEqual([]);
  });
});

describe('a policy switched off', () => {
  it('raises nothing and judges nothing, whichever policy it is', () => {
    const z = served('idle', old.key, { usage: usage(fourteen()), cost });
    const shadow = deployment('poc', { usage: usage(fourteen()), cost });
    const inventory = [fraud, live, old, z, shadow];
    expect(judge(inventory).raised.length).toBeGreaterThan(0);
    const off = policiesSchema.parse(Object.fromEntries(Object.keys(config).filter((k) => k !== 'productionAliases').map((k) => [k, { enabled: false }]))) as PoliciesConfig;
    const out = runPolicies(policyInput(inventory, new Set([old.key]), true, NOW), off);
    expect(out.raised).toEqual([]);
    expect([...out.evaluated.values()].every((keys) => keys.size === 0)).toBe(true);
  });
});
