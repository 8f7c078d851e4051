import { renderHtml } from '../../src/report';
import { KeyIds } from '../../src/state/keys';
import { model, version, type MemorySource } from '../support/memory';
import { reportOf, SECOND_RUN, syncAt, twoSyncs } from './report-state';

const key = (path: string) => `mem://reg/${path}`;

describe('report data, gathered from a state file two real syncs wrote', () => {
  it('reads the inventory, the open findings, cost by model and cost center, and the maturity score', async () => {
    const rt = await twoSyncs();
    const d = reportOf(rt);
    const kinds = d.items.map((i) => i.kind);
    expect([kinds.filter((k) => k === 'model').length, kinds.filter((k) => k === 'model_version').length, kinds.filter((k) => k === 'deployment').length]).toEqual([2, 2, 4]);
    expect(d.items.map((i) => i.key)).not.toContain(key('models/fraud/versions/2'));

    // Price table: ml.m5.large 0.134/h, ml.c5.xlarge 0.204/h, 730 h a month.
    expect(d.costs.byModel).toEqual([
      { label: 'fraud', key: key('models/fraud'), monthly: 195.64, currency: 'USD', estimated: true },
      { label: 'churn', key: key('models/churn'), monthly: 97.82, currency: 'USD', estimated: true },
      { label: '2 endpoint(s) serving no registered model', monthly: 446.76, currency: 'USD', estimated: true, unregistered: true },
    ]);
    expect(d.costs.byCostCenter.map((c) => [c.label, c.monthly])).toEqual([
      ['Risk Analytics', 195.64],
      ['Customer Growth', 97.82],
    ]);
    expect(d.costs.costCenterDay).toBe(SECOND_RUN.slice(0, 10));
    expect(d.costs.total).toEqual([{ monthly: 740.22, currency: 'USD' }]);
    // Day by day, deployments only (the models' roll-ups would count them twice): two endpoints on the first day, four on the second.
    expect(d.costs.trend).toEqual([
      { day: '2026-11-20', monthly: 344.56, currency: 'USD', estimated: true },
      { day: '2026-11-23', monthly: 740.22, currency: 'USD', estimated: true },
    ]);

    expect(d.endpointFindings.map((f) => [f.type, f.key, f.monthlyWaste])).toEqual([
      ['shadow', key('endpoints/llm-poc'), 297.84],
      ['shadow', key('endpoints/sentiment-poc'), 148.92],
    ]);
    // Churn v1 is served now and fully governed except lineage and evaluation; the shadow endpoints count as unregistered production.
    expect(d.maturity.overall).toMatchObject({ governed: 1, total: 4 });
    expect(d.maturity.pullingDown.map((p) => [p.title, p.missing])).toEqual([
      ['llm-poc', ['registered', 'lineage', 'version', 'owner', 'evaluation']],
      ['sentiment-poc', ['registered', 'lineage', 'version', 'owner', 'evaluation']],
      ['churn', ['lineage', 'owner', 'evaluation']],
    ]);
  });

  it('groups findings by model: a version’s under its model, a shadow endpoint as a model of its own', async () => {
    const risk = model('reg', 'risk', { owner: 'carol' });
    const d = reportOf(await twoSyncs([risk, version('reg', 'risk', '1', { stage: 'Production' })]));
    expect(d.governance.map((g) => [g.title, g.kind, g.owner, g.findings.map((f) => [f.type, f.key])])).toEqual([
      ['llm-poc', 'deployment', undefined, [['shadow', key('endpoints/llm-poc')]]],
      ['sentiment-poc', 'deployment', undefined, [['shadow', key('endpoints/sentiment-poc')]]],
      ['risk', 'model', 'carol', [['unserved-production', key('models/risk/versions/1')]]],
    ]);
  });

  it('a deployment gone from its source whose finding state still holds open stays in the endpoint list, marked gone', async () => {
    const rt = await twoSyncs();
    const src = rt.sources[0] as MemorySource;
    src.items = src.items.filter((i) => i.key !== key('endpoints/sentiment-poc'));
    await syncAt(rt, '2026-11-24T08:00:00.000Z');
    // Whether it should still be open is the findings lifecycle's call; hold it open, as state may.
    const id = new KeyIds(rt.db).find(key('endpoints/sentiment-poc'));
    rt.db.prepare(`UPDATE findings SET cleared_at = NULL WHERE type = 'shadow' AND key_id = ?`).run(id);
    const d = reportOf(rt);
    const open = d.findings.filter((f) => f.key === key('endpoints/sentiment-poc'));
    expect(open.map((f) => f.type)).toEqual(['shadow']);
    expect(d.endpointFindings.filter((f) => f.key === key('endpoints/sentiment-poc'))).toEqual(open);
    expect(renderHtml(d)).toContain('sentiment-poc</span> <small>(gone from its source)</small>');
  });

  it('says what the last run changed: planned and written counts, findings raised and cleared since it started', async () => {
    const d = reportOf(await twoSyncs());
    expect(d.changes.run).toMatchObject({ status: 'ok', startedAt: SECOND_RUN });
    expect(d.changes.planned).toMatchObject({ create: 0, retire: 1 });
    expect(d.changes.applied).toMatchObject({ retire: 1 });
    expect(d.changes.raised.map((f) => [f.type, f.key])).toEqual([['shadow', key('endpoints/llm-poc')]]);
    expect(d.changes.cleared.map((f) => [f.type, f.key, f.clearedAt])).toEqual([['unserved-production', key('models/churn/versions/1'), SECOND_RUN]]);
    expect(d.runs.map((r) => r.startedAt)).toEqual([SECOND_RUN, '2026-11-20T08:00:00.000Z']);
  });

  it('carries the change summary the sync stored, in the lines masync status prints', async () => {
    const rt = await twoSyncs();
    const d = reportOf(rt);
    expect(d.changes.change?.findings).toMatchObject({ raised: 1, cleared: 1 });
    expect(d.changes.details).toEqual(expect.arrayContaining(['findings: 1 raised, 1 cleared; 2 open (shadow 2), wasting $446.76 a month', expect.stringMatching(/^maturity: 25 % Weak \(1 of 4 production models fully governed\)/)]));
    expect(renderHtml(d)).toContain('<li>findings: 1 raised, 1 cleared; 2 open (shadow 2), wasting $446.76 a month</li>');
  });
});
