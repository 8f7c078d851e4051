import { computePlan } from '../../src/app/compute-plan';
import { openRunEnv } from '../../src/app/run-env';
import { ClockedWorld, HOUR } from '../support/clocked-world';
import { DEMO } from '../support/sync-world';

const VERSION = 'mlflow://mlflow.trust/models/churn-predictor/versions/2';
const OTHER = 'mlflow://mlflow.trust/models/credit-scoring/versions/1';

/**
 * Issue 8: reads between full reads return only what changed. The engine's
 * and the instance's clocks move together, an hour per run, so an
 * incremental read really is narrow (the default 5-minute margin).
 */
describe('incremental reads (engine and ServiceNow on one test clock)', () => {
  let c: ClockedWorld;
  afterEach(() => c.stop());

  const sync = (opts: { full?: boolean; advance?: number } = {}) => c.sync(opts);
  const sinkRead = () => c.sinkRead();
  const ci = (key: string) => c.w.managed().find((r) => r.correlation_id === key) as { sys_id: string; short_description: string };
  const runSearches = () => c.w.mlflow.server.count('POST', '/api/2.0/mlflow/runs/search');
  const fullQueries = () => c.w.servicenow.server.requests.filter((q) => q.method === 'GET' && q.path === '/api/now/table/cmdb_ci_appl_ai_application' && (q.query.get('sysparm_query') ?? '').startsWith('discovery_source=masync^sys_class_name=') && !(q.query.get('sysparm_query') ?? '').includes('sys_updated_on')).length;

  it("a person's edit is seen by the next incremental run; a deleted CI only by the next full read (--full or the cadence), which says it recreates it", async () => {
    c = await ClockedWorld.open();

    expect((await sync()).status).toBe('ok');
    expect((await sync()).planned).toMatchObject({ create: 0, update: 0 });
    // Nothing has changed since the first sync's writes: the cursor stays there.
    await sync();

    c.now += HOUR / 2;
    c.w.servicenow.setField('cmdb_ci', ci(VERSION).sys_id, 'short_description', 'edited by a person');
    const seen = await sync({ advance: HOUR / 2 });
    expect(sinkRead()).toContain('incremental read');
    expect(seen).toMatchObject({ status: 'ok', planned: { update: 1 }, applied: { update: 1 } });
    expect(ci(VERSION).short_description).not.toBe('edited by a person');

    c.now += HOUR / 2;
    c.w.servicenow.setField('cmdb_ci', ci(OTHER).sys_id, 'short_description', 'edited by a person too');
    const searchesBefore = runSearches();
    const narrow = await sync({ advance: HOUR / 2 });
    // One record changed since the cursor by someone else (the edit; masync's own last write is not read back): the rest are as state remembers them.
    expect(sinkRead()).toMatch(/incremental read: 1 record\(s\), \d+ relation\(s\); 19 unchanged record\(s\) as state remembers them/);
    expect(narrow).toMatchObject({ planned: { update: 1 }, applied: { update: 1 } });
    expect(runSearches()).toBe(searchesBefore);

    // A person deletes a CI (ServiceNow takes its relationships with it).
    const gone = ci(VERSION).sys_id;
    c.now += HOUR / 2;
    c.w.servicenow.delete('cmdb_ci', gone);
    for (const rel of c.w.servicenow.query('cmdb_rel_ci', `child=${gone}`)) c.w.servicenow.delete('cmdb_rel_ci', rel.sys_id ?? '');
    const blind = await sync({ advance: HOUR / 2 });
    expect(sinkRead()).toContain('incremental read');
    expect(blind.planned).toMatchObject({ create: 0, relate: 0 });
    expect(c.w.managed()).toHaveLength(DEMO.cis - 1);

    const fullQueriesBefore = fullQueries();
    const searchesBeforeFull = runSearches();
    const { plan } = await computePlan(c.rt, openRunEnv(c.rt, c.base(true)), {});
    expect(fullQueries()).toBeGreaterThan(fullQueriesBefore);
    expect(runSearches()).toBeGreaterThan(searchesBeforeFull);
    expect(plan.ops.map((o) => [o.op, o.key, o.reason])).toEqual([
      ['create', VERSION, `masync's record ${gone} is gone from the sink (deleted by someone?); recreating it`],
      ['relate', VERSION, 'masync drew this relation before and it is gone from the sink (removed by someone?); drawing it again'],
    ]);

    // The cadence: a day after the last full read, the next run reads in full by itself.
    const cadence = await sync({ advance: 24 * HOUR });
    expect(sinkRead()).toContain('full read');
    expect(cadence).toMatchObject({ status: 'ok', applied: { create: 1, relate: 1 } });
    expect(c.w.managed()).toHaveLength(DEMO.cis);
    expect(c.w.relations()).toHaveLength(DEMO.relations);
    expect((await sync()).planned).toMatchObject({ create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 });
  });
});
