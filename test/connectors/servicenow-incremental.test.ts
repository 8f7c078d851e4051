import { MasyncError } from '../../src/errors';
import { collect } from '../support/deps';
import { createWrite, modelItem, sentQueries, startServiceNow, versionItem, type ServiceNowFixture } from './servicenow-setup';

describe('ServiceNow sink: incremental reads', () => {
  let fx: ServiceNowFixture;
  afterEach(() => fx.teardown());

  let now = Date.parse('2026-11-24T10:00:00.000Z');
  const at = (iso: string) => (now = Date.parse(iso));

  it('reads only the records and relations changed since an instant, each with its updatedAt', async () => {
    at('2026-11-24T10:00:00.000Z');
    fx = await startServiceNow({ emulator: { now: () => now } });
    const ctx = fx.ctx();
    const model = modelItem('inc-model');
    const m = await fx.sink.apply(createWrite(fx.sink, fx.mapping, model), ctx);
    const v1 = await fx.sink.apply(createWrite(fx.sink, fx.mapping, versionItem(model, '1')), ctx);
    await fx.sink.apply({ op: 'relate', type: 'Contains::Contained by', parentId: m.id, childId: v1.id, holder: 'child' }, ctx);

    at('2026-11-24T11:30:05.000Z');
    await fx.sink.apply({ op: 'update', class: 'cmdb_ci_appl_ai_application', key: model.key, id: m.id, fields: { short_description: 'changed' } }, ctx);
    const v2 = await fx.sink.apply(createWrite(fx.sink, fx.mapping, versionItem(model, '2')), ctx);
    const rel2 = await fx.sink.apply({ op: 'relate', type: 'Contains::Contained by', parentId: m.id, childId: v2.id, holder: 'child' }, ctx);

    // Sub-second parts are cut, so a change in the same second is still read.
    const since = { changedSince: '2026-11-24T11:30:05.700Z' };
    const changed = await collect(fx.sink.readManaged(ctx, since));
    expect(changed.map((r) => [r.id, r.updatedAt]).sort()).toEqual([
      [m.id, '2026-11-24T11:30:05.000Z'],
      [v2.id, '2026-11-24T11:30:05.000Z'],
    ].sort());
    expect(changed.find((r) => r.id === m.id)?.fields.short_description).toBe('changed');
    const relations = await collect(fx.sink.readRelations(ctx, since));
    expect(relations).toEqual([{ id: rel2.id, type: 'Contains::Contained by', parentId: m.id, childId: v2.id, updatedAt: '2026-11-24T11:30:05.000Z' }]);
    // The three listings go out side by side, in no fixed order.
    expect(sentQueries(fx.emu).filter((q) => q.includes('sys_updated_on')).sort()).toEqual([
      'discovery_source=masync^sys_class_name=cmdb_ci_ai_model_deployment^sys_updated_on>=2026-11-24 11:30:05^ORDERBYsys_id',
      'discovery_source=masync^sys_class_name=cmdb_ci_appl_ai_application^sys_updated_on>=2026-11-24 11:30:05^ORDERBYsys_id',
      'parent.discovery_source=masync^ORchild.discovery_source=masync^sys_updated_on>=2026-11-24 11:30:05^ORDERBYsys_id',
    ]);

    const everything = await collect(fx.sink.readManaged(ctx));
    expect(everything).toHaveLength(3);
    expect(everything.find((r) => r.id === v1.id)?.updatedAt).toBe('2026-11-24T10:00:00.000Z');
    expect(await collect(fx.sink.readRelations(ctx))).toHaveLength(2);
  });

  it('refuses an instant it cannot read rather than reading everything or nothing', async () => {
    fx = await startServiceNow();
    await expect(collect(fx.sink.readManaged(fx.ctx(), { changedSince: 'yesterday^ORname=x' }))).rejects.toBeInstanceOf(MasyncError);
    expect(sentQueries(fx.emu).some((q) => q.includes('yesterday'))).toBe(false);
  });
});
