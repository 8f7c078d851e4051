import { registry } from '../../connectors';
import { computePlan } from '../../src/app/compute-plan';
import { openRunEnv, type RunBase } from '../../src/app/run-env';
import { loadRuntime, type Runtime } from '../../src/app/runtime';
import { runSync } from '../../src/app/sync-run';
import { silentProgress } from '../../src/engine/types';
import { Redactor } from '../../src/http/redact';
import { MemoryLogger } from '../support/deps';
import { DEMO, SINK, startWorld, type World } from '../support/sync-world';

const HOUR = 3_600_000;
const VERSION = 'mlflow://mlflow.trust/models/churn-predictor/versions/2';
const OTHER = 'mlflow://mlflow.trust/models/credit-scoring/versions/1';

/**
 * Issue 8: reads between full reads return only what changed. The engine's
 * and the instance's clocks move together, an hour per run, so an
 * incremental read really is narrow (the default 5-minute margin).
 */
describe('incremental reads (engine and ServiceNow on one test clock)', () => {
  let w: World;
  let rt: Runtime;
  let logger: MemoryLogger;
  let now = Date.parse('2026-11-24T08:00:00.000Z');
  afterEach(async () => {
    rt.close();
    await w.stop();
  });

  const never = new AbortController().signal;
  const base = (full: boolean): RunBase => ({ logger, signal: never, stopping: never, progressFor: () => silentProgress, full });
  const sync = async (opts: { full?: boolean; advance?: number } = {}) => {
    now += opts.advance ?? HOUR;
    logger.lines.length = 0;
    return runSync(rt, { allowMassRetire: false, waitMs: 0 }, base(opts.full ?? false));
  };
  const sinkRead = () => logger.lines.find((l) => l.includes(`sink ${SINK}: `) && l.includes(' read: ')) ?? '';
  const ci = (key: string) => w.managed().find((c) => c.correlation_id === key) as { sys_id: string; short_description: string };
  const runSearches = () => w.mlflow.server.count('POST', '/api/2.0/mlflow/runs/search');
  const fullQueries = () => w.servicenow.server.requests.filter((q) => q.method === 'GET' && q.path === '/api/now/table/cmdb_ci_appl_ai_application' && (q.query.get('sysparm_query') ?? '').startsWith('discovery_source=masync^sys_class_name=') && !(q.query.get('sysparm_query') ?? '').includes('sys_updated_on')).length;

  it("a person's edit is seen by the next incremental run; a deleted CI only by the next full read (--full or the cadence), which says it recreates it", async () => {
    w = await startWorld({}, { servicenowNow: () => now });
    logger = new MemoryLogger(new Redactor());
    rt = loadRuntime(w.configFile, { registry, env: w.env, redactor: new Redactor(), makeLogger: () => logger, clock: { now: () => new Date(now) } });

    expect((await sync()).status).toBe('ok');
    expect((await sync()).planned).toMatchObject({ create: 0, update: 0 });
    // Nothing has changed since the first sync's writes: the cursor stays there.
    await sync();

    now += HOUR / 2;
    w.servicenow.setField('cmdb_ci', ci(VERSION).sys_id, 'short_description', 'edited by a person');
    const seen = await sync({ advance: HOUR / 2 });
    expect(sinkRead()).toContain('incremental read');
    expect(seen).toMatchObject({ status: 'ok', planned: { update: 1 }, applied: { update: 1 } });
    expect(ci(VERSION).short_description).not.toBe('edited by a person');

    now += HOUR / 2;
    w.servicenow.setField('cmdb_ci', ci(OTHER).sys_id, 'short_description', 'edited by a person too');
    const searchesBefore = runSearches();
    const narrow = await sync({ advance: HOUR / 2 });
    // One record changed since the cursor by someone else (the edit; masync's own last write is not read back): the rest are as state remembers them.
    expect(sinkRead()).toMatch(/incremental read: 1 record\(s\), \d+ relation\(s\); 19 unchanged record\(s\) as state remembers them/);
    expect(narrow).toMatchObject({ planned: { update: 1 }, applied: { update: 1 } });
    expect(runSearches()).toBe(searchesBefore);

    // A person deletes a CI (ServiceNow takes its relationships with it).
    const gone = ci(VERSION).sys_id;
    now += HOUR / 2;
    w.servicenow.delete('cmdb_ci', gone);
    for (const rel of w.servicenow.query('cmdb_rel_ci', `child=${gone}`)) w.servicenow.delete('cmdb_rel_ci', rel.sys_id ?? '');
    const blind = await sync({ advance: HOUR / 2 });
    expect(sinkRead()).toContain('incremental read');
    expect(blind.planned).toMatchObject({ create: 0, relate: 0 });
    expect(w.managed()).toHaveLength(DEMO.cis - 1);

    const fullQueriesBefore = fullQueries();
    const searchesBeforeFull = runSearches();
    const { plan } = await computePlan(rt, openRunEnv(rt, base(true)), {});
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
    expect(w.managed()).toHaveLength(DEMO.cis);
    expect(w.relations()).toHaveLength(DEMO.relations);
    expect((await sync()).planned).toMatchObject({ create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 });
  });
});
