import { registry } from '../../connectors';
import { SANDBOX_CREDENTIALS } from '../../connectors/sinks/servicenow/fixtures/sandbox';
import type { RunBase } from '../../src/app/run-env';
import { loadRuntime, type Runtime } from '../../src/app/runtime';
import { runSync } from '../../src/app/sync-run';
import { silentProgress } from '../../src/engine/types';
import { Redactor } from '../../src/http/redact';
import { MemoryLogger } from '../support/deps';
import { SINK, startWorld, type World } from '../support/sync-world';

const HOUR = 3_600_000;
const VERSION = 'mlflow://mlflow.trust/models/churn-predictor/versions/2';

/**
 * Issue 8, end to end: the rows masync wrote in a run are not read back by
 * the next incremental run, which still plans nothing (its links hold what
 * it wrote) and still sees a person's edit. The engine's and the instance's
 * clocks move together, an hour per run.
 */
describe('ServiceNow incremental runs leave masync’s own writes unread', () => {
  let w: World;
  let rt: Runtime;
  let logger: MemoryLogger;
  let now = Date.parse('2026-11-24T08:00:00.000Z');
  afterEach(async () => {
    rt.close();
    await w.stop();
  });

  const never = new AbortController().signal;
  const base: RunBase = { logger: new MemoryLogger(new Redactor()), signal: never, stopping: never, progressFor: () => silentProgress, full: false };
  const sync = async (advance = HOUR) => {
    now += advance;
    logger.lines.length = 0;
    w.servicenow.server.clearRequests();
    return runSync(rt, { allowMassRetire: false, waitMs: 0 }, { ...base, logger });
  };
  const sinkRead = () => logger.lines.find((l) => l.includes(`sink ${SINK}: `) && l.includes(' read: ')) ?? '';
  const incrementalQueries = () => w.servicenow.server.requests.map((r) => r.query.get('sysparm_query') ?? '').filter((q) => q.includes('sys_updated_on'));

  it('reads none of the last run’s writes back, plans nothing, and still sees a person’s edit', async () => {
    w = await startWorld({}, { servicenowNow: () => now });
    logger = new MemoryLogger(new Redactor());
    rt = loadRuntime(w.configFile, { registry, env: w.env, redactor: new Redactor(), makeLogger: () => logger, clock: { now: () => new Date(now) } });
    expect((await sync()).status).toBe('ok');
    expect((await sync()).planned).toMatchObject({ create: 0, update: 0 });

    w.mlflow.addModel({ name: 'own-writes-model', tags: { owner: 'alice' } });
    w.mlflow.addVersion({ name: 'own-writes-model', source: 's3://own/1', userId: 'alice' });
    const wrote = await sync();
    expect(sinkRead()).toContain('incremental read');
    expect(wrote).toMatchObject({ status: 'ok', applied: { create: 2, relate: 1 } });

    const next = await sync();
    expect(sinkRead()).toMatch(/incremental read: 0 record\(s\)/);
    expect(next).toMatchObject({ status: 'ok', planned: { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 } });
    expect(incrementalQueries().length).toBeGreaterThan(0);
    expect(incrementalQueries().every((q) => q.includes(`sys_updated_by!=${SANDBOX_CREDENTIALS.username}^ORsys_updated_byISEMPTY^NQ`))).toBe(true);

    const edited = w.managed().find((c) => c.correlation_id === VERSION)?.sys_id ?? '';
    now += HOUR / 2;
    w.servicenow.setField('cmdb_ci', edited, 'short_description', 'edited by a person', 'alice');
    const seen = await sync(HOUR / 2);
    expect(sinkRead()).toMatch(/incremental read: 1 record\(s\)/);
    expect(seen).toMatchObject({ status: 'ok', planned: { update: 1 }, applied: { update: 1 } });
  });
});
