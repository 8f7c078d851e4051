import { memoryCache, type CheckResult, type DesiredRecord } from '../../src/engine/types';
import { ConnectorError } from '../../src/errors';
import { collect, fixedClock } from '../support/deps';
import { desired, modelItem, startServiceNow, versionItem, type ServiceNowFixture } from './servicenow-setup';

const warnings = (fx: ServiceNowFixture) => fx.deps.logger.lines.filter((l) => l.startsWith('warn '));
const ACL_FIX = 'grant the integration user read on sys_dictionary';

describe('ServiceNow sink: what it trusts about the instance', () => {
  let fx: ServiceNowFixture;
  afterEach(() => fx.teardown());

  const resolve = (records: DesiredRecord[], ctx = fx.ctx()) => (fx.sink.resolve as NonNullable<typeof fx.sink.resolve>)(records, ctx);
  const records = () => [desired(fx.sink, fx.mapping, modelItem('trusty', { owner: 'alice', costCenter: 'Platform' }))];
  const failed = (results: CheckResult[]) => results.filter((r) => !r.ok);

  describe('a dictionary an ACL hides (200, no rows)', () => {
    it('stops before any CI is written, naming the ACL, instead of stripping identity and owner', async () => {
      fx = await startServiceNow();
      fx.emu.setReadAcl((table) => table !== 'sys_dictionary');
      const err = await resolve(records()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectorError);
      expect((err as Error).message).toContain('sys_dictionary shows no columns for cmdb_ci_appl_ai_application');
      expect((err as Error).message).toContain(ACL_FIX);
      expect((err as Error).message).toContain('columns: trust-mapping');
      expect(fx.emu.server.count('POST')).toBe(0);
    });

    it('stops when only the identity or owner columns are hidden', async () => {
      fx = await startServiceNow();
      fx.emu.setReadAcl((table, row) => !(table === 'sys_dictionary' && (row.element === 'correlation_id' || row.element === 'discovery_source')));
      const err = await resolve(records()).catch((e: unknown) => e);
      expect((err as Error).message).toContain('cmdb_ci_appl_ai_application shows no correlation_id or discovery_source column');
      expect((err as Error).message).toContain(ACL_FIX);
    });

    it('stops when sys_db_object is hidden, rather than calling every class missing', async () => {
      fx = await startServiceNow();
      fx.emu.setReadAcl((table) => table !== 'sys_db_object');
      const err = await resolve(records()).catch((e: unknown) => e);
      expect((err as Error).message).toContain('sys_db_object shows no cmdb_ci');
      expect(warnings(fx).some((l) => l.includes('does not exist'))).toBe(false);
    });

    it('with `columns: trust-mapping`, writes every mapped column without reading the dictionary', async () => {
      fx = await startServiceNow({ config: { columns: 'trust-mapping' } });
      fx.emu.setReadAcl((table) => table !== 'sys_dictionary' && table !== 'sys_db_object');
      const [rec] = await resolve(records());
      const mapped = Object.keys(fx.mapping.kinds.model?.fields ?? {}).filter((f) => f !== 'u_ml_aliases' && f !== 'short_description' && f !== 'u_ml_source_url');
      expect(Object.keys(rec?.fields ?? {})).toEqual(expect.arrayContaining([...mapped, 'correlation_id', 'discovery_source']));
      expect(rec?.fields.owned_by).toBe(fx.seed.users.alice);
      const { id } = await fx.sink.apply({ op: 'create', class: rec?.class ?? '', key: rec?.key ?? '', fields: rec?.fields ?? {} }, fx.ctx());
      expect(fx.emu.get('cmdb_ci', id)).toMatchObject({ correlation_id: rec?.fields.correlation_id, discovery_source: 'masync', owned_by: fx.seed.users.alice, name: 'trusty' });
      expect(fx.emu.server.count('GET', '/api/now/table/sys_dictionary') + fx.emu.server.count('GET', '/api/now/table/sys_db_object')).toBe(0);
    });

    it('doctor names the ACL, not the mapping', async () => {
      fx = await startServiceNow();
      fx.emu.setReadAcl((table) => table !== 'sys_dictionary');
      const problems = failed(await fx.sink.check(fx.ctx()));
      expect(problems.map((p) => p.check).sort()).toEqual(['class cmdb_ci_ai_model_deployment has the mapped columns', 'class cmdb_ci_appl_ai_application has the mapped columns']);
      for (const p of problems) {
        expect(p.hint).toContain(ACL_FIX);
        expect(p.hint).not.toContain('check the mapping');
      }
      fx.emu.setReadAcl((table) => table !== 'sys_db_object');
      const hidden = failed(await fx.sink.check(fx.ctx()));
      expect(hidden).toEqual([expect.objectContaining({ check: 'read the class hierarchy (sys_db_object)', hint: expect.stringContaining('sys_db_object') })]);
    });
  });

  describe('lookup tables the user may not read (403)', () => {
    it('leaves owner unwritten with one warning, resolves the rest, and the run goes on', async () => {
      fx = await startServiceNow();
      fx.emu.denyTable('sys_user');
      const out = await resolve(['a', 'b', 'c'].map((n) => desired(fx.sink, fx.mapping, modelItem(`no-users-${n}`, { owner: `owner-${n}`, costCenter: 'Platform' }))));
      expect(out.every((r) => !('owned_by' in r.fields) && r.fields.cost_center === fx.seed.costCenters.Platform)).toBe(true);
      expect(warnings(fx).filter((l) => l.includes('sys_user'))).toEqual([expect.stringContaining('may not read sys_user (HTTP 403)')]);
      const rec = out[0] as DesiredRecord;
      const { id } = await fx.sink.apply({ op: 'create', class: rec.class, key: rec.key, fields: rec.fields }, fx.ctx());
      expect(fx.emu.get('cmdb_ci', id)?.cost_center).toBe(fx.seed.costCenters.Platform);
      expect(fx.emu.get('cmdb_ci', id)?.owned_by ?? '').toBe('');
      const check = (await fx.sink.check(fx.ctx())).find((c) => c.check === 'read sys_user (for lookups)');
      expect(check).toMatchObject({ ok: false, hint: expect.stringContaining('grant the integration user read on sys_user') });
    });
  });

  describe('managed records and relations an ACL hides', () => {
    it('are read as empty, across every page the total announces', async () => {
      fx = await startServiceNow({ pageSize: 2 });
      const ctx = fx.ctx();
      for (const n of ['h1', 'h2', 'h3']) await fx.sink.apply({ op: 'create', class: 'cmdb_ci_appl_ai_application', key: n, fields: { correlation_id: n, discovery_source: 'masync' } }, ctx);
      fx.emu.setReadAcl((table) => table !== 'cmdb_ci_appl_ai_application' && table !== 'cmdb_rel_ci');
      expect(await collect(fx.sink.readManaged(ctx))).toEqual([]);
      expect(await collect(fx.sink.readRelations(ctx))).toEqual([]);
      expect(fx.emu.server.count('GET', '/api/now/table/cmdb_ci_appl_ai_application')).toBe(2);
    });
  });

  describe('the catalog kept between runs', () => {
    const catalogReads = () => ['sys_db_object', 'sys_dictionary', 'cmdb_rel_type'].map((t) => fx.emu.server.count('GET', `/api/now/table/${t}`));

    it('is read on the first run, reused by the next, and read again on a full run or after a day', async () => {
      fx = await startServiceNow();
      const cache = memoryCache();
      const day1 = fixedClock('2026-11-24T08:00:00.000Z');
      const run = async (opts: { full?: boolean; clock?: ReturnType<typeof fixedClock> } = {}) => {
        const ctx = fx.runCtx(cache, { clock: day1, ...opts });
        await resolve(records(), ctx);
        await collect(fx.sink.readRelations(ctx));
      };
      await run();
      const first = catalogReads();
      expect(first.every((n) => n > 0)).toBe(true);
      await run();
      expect(catalogReads()).toEqual(first);
      await run({ full: true });
      const afterFull = catalogReads();
      expect(afterFull.every((n, i) => n > (first[i] ?? 0))).toBe(true);
      await run({ clock: fixedClock('2026-11-25T09:00:00.000Z') });
      expect(catalogReads().every((n, i) => n > (afterFull[i] ?? 0))).toBe(true);
    });

    it('reads relationship types again when a write needs one the cached copy lacks', async () => {
      fx = await startServiceNow();
      const cache = memoryCache();
      await collect(fx.sink.readRelations(fx.runCtx(cache)));
      fx.emu.insert('cmdb_rel_type', { name: 'Trains::Trained by', parent_descriptor: 'Trains', child_descriptor: 'Trained by' });
      const ctx = fx.runCtx(cache);
      const model = modelItem('typed');
      const m = await fx.sink.apply({ op: 'create', class: 'cmdb_ci_appl_ai_application', key: model.key, fields: { correlation_id: 'typed-m', discovery_source: 'masync' } }, ctx);
      const v = await fx.sink.apply({ op: 'create', class: 'cmdb_ci_appl_ai_application', key: versionItem(model, '1').key, fields: { correlation_id: 'typed-v', discovery_source: 'masync' } }, ctx);
      await fx.sink.apply({ op: 'relate', type: 'Trains::Trained by', parentId: m.id, childId: v.id, holder: 'child' }, ctx);
      expect((await collect(fx.sink.readRelations(ctx))).map((r) => r.type)).toEqual(['Trains::Trained by']);
    });
  });

  it('labels resolved values, and the next run labels what it reads with them', async () => {
    fx = await startServiceNow();
    const cache = memoryCache();
    const ctx = fx.runCtx(cache);
    const [rec] = await resolve(records(), ctx);
    expect(rec?.labels).toEqual({ owned_by: 'alice', cost_center: 'Platform' });
    await fx.sink.apply({ op: 'create', class: rec?.class ?? '', key: rec?.key ?? '', fields: rec?.fields ?? {} }, ctx);
    const [read] = await collect(fx.sink.readManaged(fx.runCtx(cache)));
    expect(read?.labels).toEqual({ owned_by: 'alice', cost_center: 'Platform' });
  });
});
