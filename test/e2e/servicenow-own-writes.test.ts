import { SANDBOX_CREDENTIALS } from '../../connectors/sinks/servicenow/fixtures/sandbox';
import { ClockedWorld, HOUR } from '../support/clocked-world';

const VERSION = 'mlflow://mlflow.trust/models/churn-predictor/versions/2';

/**
 * Issue 8, end to end: the rows masync wrote in a run are not read back by
 * the next incremental run, which still plans nothing (its links hold what
 * it wrote) and still sees a person's edit. The engine's and the instance's
 * clocks move together, an hour per run.
 */
describe('ServiceNow incremental runs leave masync’s own writes unread', () => {
  let c: ClockedWorld;
  afterEach(() => c.stop());

  const sync = async (advance = HOUR) => {
    c.w.servicenow.server.clearRequests();
    return c.sync({ advance });
  };
  const incrementalQueries = () => c.w.servicenow.server.requests.map((r) => r.query.get('sysparm_query') ?? '').filter((q) => q.includes('sys_updated_on'));

  it('reads none of the last run’s writes back, plans nothing, and still sees a person’s edit', async () => {
    c = await ClockedWorld.open();
    expect((await sync()).status).toBe('ok');
    expect((await sync()).planned).toMatchObject({ create: 0, update: 0 });

    c.w.mlflow.addModel({ name: 'own-writes-model', tags: { owner: 'alice' } });
    c.w.mlflow.addVersion({ name: 'own-writes-model', source: 's3://own/1', userId: 'alice' });
    const wrote = await sync();
    expect(c.sinkRead()).toContain('incremental read');
    expect(wrote).toMatchObject({ status: 'ok', applied: { create: 2, relate: 1 } });

    const next = await sync();
    expect(c.sinkRead()).toMatch(/incremental read: 0 record\(s\)/);
    expect(next).toMatchObject({ status: 'ok', planned: { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 } });
    expect(incrementalQueries().length).toBeGreaterThan(0);
    expect(incrementalQueries().every((q) => q.includes(`sys_updated_by!=${SANDBOX_CREDENTIALS.username}^ORsys_updated_byISEMPTY^NQ`))).toBe(true);

    const edited = c.w.managed().find((r) => r.correlation_id === VERSION)?.sys_id ?? '';
    c.now += HOUR / 2;
    c.w.servicenow.setField('cmdb_ci', edited, 'short_description', 'edited by a person', 'alice');
    const seen = await sync(HOUR / 2);
    expect(c.sinkRead()).toMatch(/incremental read: 1 record\(s\)/);
    expect(seen).toMatchObject({ status: 'ok', planned: { update: 1 }, applied: { update: 1 } });
  });
});
