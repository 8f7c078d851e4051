import { serviceNowCallBound } from '../../connectors/sinks/servicenow/sandbox';
import { ClockedWorld, HOUR } from '../support/clocked-world';
import { DEMO } from '../support/sync-world';

const PAGE = 4;

/**
 * Issue 8: after a sync that wrote N records, the next run reads none of
 * them back (masync wrote them, and state holds what it wrote), and neither
 * does the run after it: each reads only what others changed since the run
 * before it began, ServiceNow's bound page for page, however close together
 * the runs are. The instance's clock moves an hour
 * between runs; masync's own stays put, as skewed as it likes.
 */
describe('ServiceNow reads held to their bound', () => {
  let c: ClockedWorld;
  afterEach(() => c.stop());

  it('a no-op re-sync reads exactly the bound’s calls, one round trip deep, after a sync that wrote every record', async () => {
    c = await ClockedWorld.open({ sink: { pageSize: PAGE } }, { engineStill: true });
    const { w } = c;
    const reads = () => w.servicenow.server.requests.filter((r) => r.method === 'GET').length;
    const bound = (since: number, until: number) =>
      serviceNowCallBound(w.servicenow, { warm: true, since: new Date(since), until: new Date(until), writes: { records: 0, relations: 0 } }, {
        classes: ['cmdb_ci_appl_ai_application', 'cmdb_ci_ai_model_deployment'],
        lookups: 2,
        pageSize: PAGE,
        batchSize: 50,
        discoverySource: 'masync',
        inFlight: 4,
      });
    const sync = async (advance: number) => {
      w.servicenow.server.clearRequests();
      c.now += advance;
      const startedAt = c.now;
      const r = await c.sync({ advance: 0 });
      expect(r.status).toBe('ok');
      return { startedAt, result: r, reads: reads() };
    };

    const first = await sync(0);
    expect(first.result.applied).toMatchObject({ create: DEMO.cis, relate: DEMO.relations });

    const second = await sync(HOUR);
    // Everything changed since the first run began reading, all of it by masync: one page per listing, none of it read back.
    expect(second.result.planned).toMatchObject({ create: 0, update: 0, relate: 0 });
    expect(second.reads).toBe(bound(first.startedAt, second.startedAt).calls);
    expect(second.reads).toBe(5);

    w.servicenow.server.setLatency(30);
    const third = await sync(HOUR);
    const b = bound(second.startedAt, third.startedAt);
    expect(third.result.planned).toMatchObject({ create: 0, update: 0, relate: 0 });
    expect(b.basis).toContain('0/0/0 row(s) changed');
    expect(third.reads).toBe(b.calls);
    expect(w.servicenow.server.roundTripShape().depth).toBe((b.path.read ?? 0) + (b.path.resolve ?? 0));
  });
});
