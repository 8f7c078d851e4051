import { DEMO, eventually, startWorld, type World } from '../support/sync-world';

interface PlanOpJson {
  op: string;
  key: string;
  id?: string;
  reason?: string;
  relation?: { type: string; parent: string; child: string };
}

interface SyncJson {
  status: string;
  planned: Record<string, number>;
  applied: Record<string, number>;
  errors: string[];
  notes: string[];
}

const TABLE_POST = /^\/api\/now\/table\//;
// The client gives up long before the instance commits; the engine looks again after 0.3 s and 0.6 s.
const FAST_CLIENT = { sink: { http: { timeoutMs: 250, retries: 1 } }, run: { settleSec: 0.3, concurrency: 16 } };

/** Issue 5: an insert whose answer never came may still land; masync looks before it sends again. */
describe('inserts that commit after the client timed out', () => {
  let w: World;
  afterEach(() => w.stop());

  const sync = async () => JSON.parse((await w.cli(['sync', '--json'])).stdout) as SyncJson;
  const plan = async () => JSON.parse((await w.cli(['plan', '--json'])).stdout) as { ops: PlanOpJson[]; notes: string[] };
  /** Every request answered (or given up on by the client): no insert is still waiting to commit. */
  const settled = () => eventually(() => (w.servicenow.server.requests.every((r) => r.status !== undefined) ? true : undefined), 'late commits');
  const active = () => w.managed().filter((c) => c.install_status !== '7');

  function expectNoDuplicates(): void {
    const identities = active().map((c) => c.correlation_id);
    expect(identities).toHaveLength(DEMO.cis);
    expect(new Set(identities).size).toBe(DEMO.cis);
    const triples = w.relations().map((r) => `${r.type}|${r.parent}|${r.child}`);
    expect(triples).toHaveLength(DEMO.relations);
    expect(new Set(triples).size).toBe(DEMO.relations);
    expect(w.relations().every((r) => active().some((c) => c.sys_id === r.parent) && active().some((c) => c.sys_id === r.child))).toBe(true);
  }

  it.each([
    ['Table API', { writeApi: 'table' }],
    ['Batch API', { writeApi: 'batch', batchSize: 2 }],
  ])('within the settle window (%s): found by lookup, never sent twice, no duplicate run after run', async (_api, writeApi) => {
    w = await startWorld({ ...FAST_CLIENT, sink: { ...FAST_CLIENT.sink, ...writeApi } });
    w.servicenow.server.setChaos({ seed: 5, lateCommit: { rate: 1, delayMs: 400 }, methods: ['POST'], path: TABLE_POST });

    const first = await sync();
    expect(first).toMatchObject({ status: 'ok', applied: { create: DEMO.cis, relate: DEMO.relations, failed: 0, unknown: 0 }, errors: [] });
    await settled();
    expectNoDuplicates();
    // Each insert went out once, its answer was lost to the timeout, and a lookup found what landed late.
    const inserts = w.servicenow.server.requests.filter((r) => r.method === 'POST' && TABLE_POST.test(r.path));
    expect(inserts).toHaveLength(DEMO.cis + DEMO.relations);
    const lookups = (prefix: string) => w.servicenow.server.requests.filter((r) => r.method === 'GET' && (r.query.get('sysparm_query') ?? '').startsWith(prefix)).length;
    expect(lookups('correlation_id=')).toBeGreaterThanOrEqual(DEMO.cis);
    expect(lookups('parent=')).toBeGreaterThanOrEqual(DEMO.relations);

    for (let i = 0; i < 2; i++) {
      const again = await sync();
      expect(again).toMatchObject({ status: 'ok', planned: { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 } });
      await settled();
      expectNoDuplicates();
    }
  });

  it('after the settle window (Batch API): the copies masync made are retired, never deleted, and their relations removed, with a note', async () => {
    w = await startWorld(FAST_CLIENT);
    // The first model insert and the first relationship insert of their batches commit two seconds late, after the settle window, holding up the rest of each batch.
    w.servicenow.server.faults.inject({ method: 'POST', path: '/api/now/table/cmdb_ci_appl_ai_application', delayMs: 2000 });
    w.servicenow.server.faults.inject({ method: 'POST', path: '/api/now/table/cmdb_rel_ci', delayMs: 2000 });

    const first = await sync();
    expect(first).toMatchObject({ status: 'ok', applied: { create: DEMO.cis, relate: DEMO.relations, failed: 0, unknown: 0 } });
    await settled();
    const copies = w.managed().length - DEMO.cis;
    const extraRelations = w.relations().length - DEMO.relations;
    // The late batch landed after its inserts were sent once more: copies of both kinds exist now.
    expect(copies).toBeGreaterThan(0);
    expect(extraRelations).toBeGreaterThan(0);

    const p = await plan();
    const repairs = p.ops.filter((o) => o.op === 'retire');
    expect(repairs).toHaveLength(copies);
    expect(repairs.every((o) => /^duplicate of \w+ that masync created/.test(o.reason ?? ''))).toBe(true);
    const unrelates = p.ops.filter((o) => o.op === 'unrelate');
    expect(unrelates).toHaveLength(extraRelations);
    expect(unrelates.every((o) => (o.reason ?? '').includes('duplicate'))).toBe(true);
    expect(p.ops.filter((o) => o.op !== 'retire' && o.op !== 'unrelate')).toEqual([]);
    expect(p.notes.join('\n')).toContain(`${copies} duplicate record(s) masync created are retired`);

    const second = await sync();
    expect(second).toMatchObject({ status: 'ok', applied: { retire: copies, unrelate: extraRelations, create: 0, relate: 0 } });
    expectNoDuplicates();
    expect(w.managed()).toHaveLength(DEMO.cis + copies);
    expect(w.servicenow.server.count('DELETE', '/api/now/table/cmdb_ci_')).toBe(0);

    const third = await sync();
    expect(third).toMatchObject({ status: 'ok', planned: { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 } });
    expectNoDuplicates();
  });

  it('a repair made by an incremental run holds: later incremental runs, which no longer read those rows, draw nothing again', async () => {
    // The instance's clock moves an hour between runs, so each incremental read returns only what changed in the last hour or so.
    let now = Date.parse('2026-11-24T10:00:00.000Z');
    w = await startWorld(FAST_CLIENT, { servicenowNow: () => now });
    const hourly = async () => {
      now += 3_600_000;
      return sync();
    };
    await hourly();
    expect((await hourly()).planned).toMatchObject({ create: 0, relate: 0 });
    w.mlflow.addModel({ name: 'late-model', tags: { owner: 'alice' } });
    w.mlflow.addVersion({ name: 'late-model', source: 's3://late/1', userId: 'alice' });
    w.servicenow.server.faults.inject({ method: 'POST', path: '/api/now/table/cmdb_ci_appl_ai_application', delayMs: 2000 });
    w.servicenow.server.faults.inject({ method: 'POST', path: '/api/now/table/cmdb_rel_ci', delayMs: 2000 });
    expect(await hourly()).toMatchObject({ status: 'ok', applied: { create: 2, relate: 1 } });
    await settled();
    // Record writes go out together, so the late insert may hold back the version's insert behind it too: one copy or two.
    const copies = active().length - (DEMO.cis + 2);
    expect(copies).toBeGreaterThan(0);

    expect(await hourly()).toMatchObject({ status: 'ok', applied: { retire: copies, unrelate: 1, create: 0, relate: 0 } });
    for (let i = 0; i < 3; i++) expect((await hourly()).planned).toEqual({ create: 0, update: 0, retire: 0, relate: 0, unrelate: 0, unchanged: DEMO.cis + 2 });
    const identities = w.managed().filter((c) => c.install_status !== '7').map((c) => c.correlation_id);
    expect(new Set(identities).size).toBe(DEMO.cis + 2);
    const triples = w.relations().map((r) => `${r.type}|${r.parent}|${r.child}`);
    expect(triples).toHaveLength(DEMO.relations + 1);
    expect(new Set(triples).size).toBe(DEMO.relations + 1);
  });
});
