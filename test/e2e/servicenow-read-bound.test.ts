import { registry } from '../../connectors';
import { serviceNowCallBound } from '../../connectors/sinks/servicenow/sandbox';
import type { RunBase } from '../../src/app/run-env';
import { loadRuntime, type Runtime } from '../../src/app/runtime';
import { runSync } from '../../src/app/sync-run';
import { silentProgress } from '../../src/engine/types';
import { Redactor } from '../../src/http/redact';
import { MemoryLogger } from '../support/deps';
import { DEMO, startWorld, type World } from '../support/sync-world';

const HOUR = 3_600_000;
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
  let w: World;
  let rt: Runtime;
  let now = Date.parse('2026-11-24T08:00:00.000Z');
  afterEach(async () => {
    rt.close();
    await w.stop();
  });

  const never = new AbortController().signal;
  const base: RunBase = { logger: new MemoryLogger(new Redactor()), signal: never, stopping: never, progressFor: () => silentProgress, full: false };

  it('a no-op re-sync reads exactly the bound’s calls, one round trip deep, after a sync that wrote every record', async () => {
    w = await startWorld({ sink: { pageSize: PAGE } }, { servicenowNow: () => now });
    rt = loadRuntime(w.configFile, { registry, env: w.env, redactor: new Redactor(), makeLogger: () => base.logger, clock: { now: () => new Date('2026-11-24T08:00:00.000Z') } });
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
    const sync = async () => {
      w.servicenow.server.clearRequests();
      const startedAt = now;
      const r = await runSync(rt, { allowMassRetire: false, waitMs: 0 }, base);
      expect(r.status).toBe('ok');
      return { startedAt, result: r, reads: reads() };
    };

    const first = await sync();
    expect(first.result.applied).toMatchObject({ create: DEMO.cis, relate: DEMO.relations });

    now += HOUR;
    const second = await sync();
    // Everything changed since the first run began reading, all of it by masync: one page per listing, none of it read back.
    expect(second.result.planned).toMatchObject({ create: 0, update: 0, relate: 0 });
    expect(second.reads).toBe(bound(first.startedAt, second.startedAt).calls);
    expect(second.reads).toBe(5);

    now += HOUR;
    w.servicenow.server.setLatency(30);
    const third = await sync();
    const b = bound(second.startedAt, third.startedAt);
    expect(third.result.planned).toMatchObject({ create: 0, update: 0, relate: 0 });
    expect(b.basis).toContain('0/0/0 row(s) changed');
    expect(third.reads).toBe(b.calls);
    expect(w.servicenow.server.roundTripShape().depth).toBe((b.path.read ?? 0) + (b.path.resolve ?? 0));
  });
});
