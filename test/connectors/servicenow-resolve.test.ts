import type { DesiredRecord } from '../../src/engine/types';
import { collect } from '../support/deps';
import { desired, modelItem, sentQueries, startServiceNow, versionItem, type ServiceNowFixture } from './servicenow-setup';

const warnings = (fx: ServiceNowFixture) => fx.deps.logger.lines.filter((l) => l.startsWith('warn '));

describe('ServiceNow sink resolve()', () => {
  let fx: ServiceNowFixture;
  afterEach(() => fx.teardown());

  const resolve = (records: DesiredRecord[], ctx = fx.ctx()) => (fx.sink.resolve as NonNullable<typeof fx.sink.resolve>)(records, ctx);

  it('replaces owners and cost centers by the sys_id they name, and leaves out what names nothing', async () => {
    fx = await startServiceNow();
    const items = [
      modelItem('m-alice', { owner: 'alice', costCenter: 'Risk Analytics' }),
      modelItem('m-bob', { owner: 'bob@example.com', costCenter: 'Platform' }),
      modelItem('m-dave', { owner: 'dave', costCenter: 'Nowhere Land' }),
      modelItem('m-dave-2', { owner: 'dave' }),
      modelItem('m-odd', { owner: 'carol^ORuser_name!=carol' }),
      modelItem('m-odder', { owner: '^ORuser_name!=x' }),
    ];
    const out = await resolve(items.map((i) => desired(fx.sink, fx.mapping, i)));
    const byName = new Map(out.map((r) => [r.fields.name, r]));
    expect(byName.get('m-alice')?.fields).toMatchObject({ owned_by: fx.seed.users.alice, cost_center: fx.seed.costCenters['Risk Analytics'] });
    expect(byName.get('m-bob')?.fields).toMatchObject({ owned_by: fx.seed.users.bob, cost_center: fx.seed.costCenters.Platform });
    for (const name of ['m-dave', 'm-dave-2', 'm-odd', 'm-odder']) {
      expect(byName.get(name)?.fields).not.toHaveProperty('owned_by');
    }
    expect(byName.get('m-dave')?.fields).not.toHaveProperty('cost_center');
    // No owner in the source: masync neither clears nor sets it.
    expect(byName.get('m-dave-2')?.fields).not.toHaveProperty('cost_center');
    expect(out.every((r) => Object.keys(r.lookups).length === 0)).toBe(true);

    const w = warnings(fx);
    expect(w.filter((l) => l.includes('"dave" not found in sys_user (user_name, email)'))).toHaveLength(1);
    expect(w.some((l) => l.includes('"Nowhere Land" not found in cmn_cost_center (name)'))).toBe(true);
    // Only the safe leading part goes into a query; the exact comparison happens here.
    expect(w.some((l) => l.includes('"carol^ORuser_name!=carol" not found in sys_user'))).toBe(true);
    expect(w.some((l) => l.includes('"^ORuser_name!=x" is not looked up'))).toBe(true);
    // One query per lookup table: every match field at once, names with spaces in the IN list, odd ones by their safe prefix.
    expect(sentQueries(fx.emu)).toContain('user_nameINalice,bob@example.com,dave^ORuser_nameSTARTSWITHcarol^ORemailINalice,bob@example.com,dave^ORemailSTARTSWITHcarol^ORDERBYsys_id');
    expect(sentQueries(fx.emu)).toContain('nameINRisk Analytics,Platform,Nowhere Land^ORDERBYsys_id');
    for (const q of sentQueries(fx.emu)) expect(q).not.toMatch(/user_name!=|\^ORuser_name!/);
  });

  it('finds three cost centers whose names have spaces in one call', async () => {
    fx = await startServiceNow();
    const lab = fx.emu.insert('cmn_cost_center', { name: 'Data Science Lab' }).sys_id;
    fx.emu.insert('cmn_cost_center', { name: 'Data Science' }); // a prefix of another name: an exact match, not a prefix one
    const names = ['Risk Analytics', 'Customer Growth', 'Data Science Lab'];
    const out = await resolve(names.map((c, i) => desired(fx.sink, fx.mapping, modelItem(`cc-${i}`, { costCenter: c }))));
    expect(out.map((r) => r.fields.cost_center)).toEqual([fx.seed.costCenters['Risk Analytics'], fx.seed.costCenters['Customer Growth'], lab]);
    expect(fx.emu.server.count('GET', '/api/now/table/cmn_cost_center')).toBe(1);
  });

  it('asks every lookup table at once: the resolve is one round trip deep', async () => {
    fx = await startServiceNow();
    fx.emu.server.setLatency(50);
    const ctx = fx.ctx();
    await (fx.sink.resolve as NonNullable<typeof fx.sink.resolve>)([], ctx); // the catalog, read once per run
    fx.emu.server.clearRequests();
    const items = [modelItem('deep-1', { owner: 'alice', costCenter: 'Risk Analytics' }), modelItem('deep-2', { owner: 'bob@example.com', costCenter: 'Platform' })];
    await resolve(items.map((i) => desired(fx.sink, fx.mapping, i)), ctx);
    expect(fx.emu.server.count('GET')).toBe(2);
    expect(fx.emu.server.roundTripShape().depth).toBe(1);
  });

  it('looks values up in batches and once per run', async () => {
    fx = await startServiceNow();
    const ctx = fx.ctx();
    const records = ['alice', 'bob', 'carol', 'alice'].map((owner, i) => desired(fx.sink, fx.mapping, modelItem(`batch-${i}`, { owner })));
    await resolve(records, ctx);
    const userQueries = () => fx.emu.server.requests.filter((r) => r.path === '/api/now/table/sys_user').length;
    expect(userQueries()).toBe(1);
    expect(fx.emu.server.requests.find((r) => r.path === '/api/now/table/sys_user')?.query.get('sysparm_query')).toBe('user_nameINalice,bob,carol^ORemailINalice,bob,carol^ORDERBYsys_id');
    await resolve([desired(fx.sink, fx.mapping, modelItem('again', { owner: 'bob' }))], ctx);
    expect(userQueries()).toBe(1);
  });

  it('is safe to run twice on its own output', async () => {
    fx = await startServiceNow();
    const once = await resolve([desired(fx.sink, fx.mapping, modelItem('twice', { owner: 'carol' }))]);
    const twice = await resolve(once);
    expect(twice[0]?.fields.owned_by).toBe(fx.seed.users.carol);
  });

  it('drops fields the instance has no column for, with one warning per class and column', async () => {
    fx = await startServiceNow({ emulator: { omitColumns: ['u_ml_stage'] } });
    const model = modelItem('cols');
    const records = ['1', '2'].map((v) => desired(fx.sink, fx.mapping, versionItem(model, v, { stage: 'Production' })));
    const out = await resolve(records);
    expect(out.every((r) => !('u_ml_stage' in r.fields) && r.fields.u_ml_status === 'READY')).toBe(true);
    expect(records[0]?.fields.u_ml_stage).toBe('Production');
    const w = warnings(fx).filter((l) => l.includes('u_ml_stage'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('cmdb_ci_appl_ai_application has no column u_ml_stage');
    expect(w[0]).toContain('masync doctor');
  });

  it('warns once about a class the instance lacks, and writes its fields unfiltered', async () => {
    fx = await startServiceNow({ emulator: { aiClasses: false } });
    const out = await resolve(['a', 'b'].map((n) => desired(fx.sink, fx.mapping, modelItem(n))));
    expect(out[0]?.fields).toHaveProperty('u_ml_source_url');
    expect(warnings(fx).filter((l) => l.includes('class cmdb_ci_appl_ai_application does not exist'))).toHaveLength(1);
  });

  it('writes without the column filter, and says so, when the dictionary may not be read', async () => {
    fx = await startServiceNow({ emulator: { omitColumns: ['u_ml_aliases'] } });
    fx.emu.denyTable('sys_dictionary');
    const [rec] = await resolve([desired(fx.sink, fx.mapping, modelItem('no-dictionary', { owner: 'alice' }))]);
    expect(rec?.fields).toHaveProperty('u_ml_aliases');
    expect(rec?.fields.owned_by).toBe(fx.seed.users.alice);
    expect(warnings(fx).some((l) => l.includes('cannot read sys_db_object/sys_dictionary'))).toBe(true);
  });

  it('cuts values to the column length, so a written value reads back equal', async () => {
    fx = await startServiceNow();
    fx.emu.removeColumn('cmdb_ci_appl', 'u_ml_source_url');
    fx.emu.insert('sys_dictionary', { name: 'cmdb_ci_appl', element: 'u_ml_source_url', internal_type: 'string', max_length: '20' });
    const url = 'https://mlflow.example.com/#/models/long';
    const [rec] = await resolve([desired(fx.sink, fx.mapping, modelItem('short-col', { links: { ui: url } }))]);
    expect(rec?.fields.u_ml_source_url).toBe(url.slice(0, 20));
    const write = { op: 'create' as const, class: rec?.class ?? '', key: rec?.key ?? '', fields: rec?.fields ?? {} };
    await fx.sink.apply(write, fx.ctx());
    const [back] = await collect(fx.sink.readManaged(fx.ctx()));
    expect(back?.fields.u_ml_source_url).toBe(rec?.fields.u_ml_source_url);
  });
});
