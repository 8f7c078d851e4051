import { registry } from '../../connectors';
import { desiredFor } from '../../src/app/desired';
import { readSources } from '../../src/app/read-sources';
import { openRunEnv, type RunBase } from '../../src/app/run-env';
import { loadRuntime, type Runtime } from '../../src/app/runtime';
import { runSync } from '../../src/app/sync-run';
import { carriesValues } from '../../src/engine/lean-record';
import { silentProgress, type DesiredRecord } from '../../src/engine/types';
import { Redactor } from '../../src/http/redact';
import { loadLinks } from '../../src/state/links';
import { MemoryLogger } from '../support/deps';
import { SINK, startWorld, type World } from '../support/sync-world';

const HOUR = 3_600_000;
const CHANGED = 'mlflow://mlflow.trust/models/churn-predictor/versions/2';
const EDITED = 'mlflow://mlflow.trust/models/credit-scoring/versions/1';

/**
 * Issue 8: a record whose item, mapping, lookups and instance columns are
 * as they were when masync last wrote or confirmed it is known without
 * mapping its item again. Known or mapped, the desired record must be the
 * same: both ways are run on one run's data and compared record for record.
 */
describe('records known from what they were last mapped from', () => {
  let w: World;
  let rt: Runtime;
  let logger: MemoryLogger;
  let now = Date.parse('2026-11-25T08:00:00.000Z');
  afterEach(async () => {
    rt.close();
    await w.stop();
  });

  const never = new AbortController().signal;
  const base = (full: boolean): RunBase => ({ logger, signal: never, stopping: never, progressFor: () => silentProgress, full });
  const sync = async () => {
    now += HOUR;
    logger.lines.length = 0;
    return runSync(rt, { allowMassRetire: false, waitMs: 0 }, base(false));
  };
  const known = () => {
    const line = logger.lines.find((l) => l.includes(`sink ${SINK}: `) && l.includes('known from what they were last mapped from')) ?? '';
    const m = /(\d+) of (\d+) record/.exec(line);
    return m ? { known: Number(m[1]), of: Number(m[2]) } : undefined;
  };
  const ci = (key: string) => w.managed().find((c) => c.correlation_id === key) as { sys_id: string };

  /** The desired records of this moment, known where they can be and mapped anew, as plain comparable values. */
  const bothWays = async () => {
    now += HOUR;
    const env = openRunEnv(rt, base(false));
    const handle = rt.sinks[0] as Runtime['sinks'][number];
    const ctx = env.ctxOf(handle.sink.name);
    const items = (await readSources(rt.sources, env.ctxOf)).flatMap((r) => r.items);
    const links = loadLinks(rt.db, env.keys, handle.sink.name, (k) => handle.sink.identity.of(k));
    const retiredFields = handle.sink.retiredFields();
    const view = (d: DesiredRecord) => ({ ...d, fields: { ...d.fields }, retired: carriesValues(d.fields, retiredFields) });
    logger.lines.length = 0;
    const fast = (await desiredFor(handle, items, { links, retiredFields, remapAll: false }, ctx)).map(view);
    const counted = known();
    const slow = (await desiredFor(handle, items, { links, retiredFields, remapAll: true }, ctx)).map(view);
    return { fast, slow, counted };
  };

  it('are the records mapping every item anew gives, whatever changed in the registry, the lookups or the sink', async () => {
    w = await startWorld({}, { servicenowNow: () => now });
    logger = new MemoryLogger(new Redactor());
    rt = loadRuntime(w.configFile, { registry, env: w.env, redactor: new Redactor(), makeLogger: () => logger, clock: { now: () => new Date(now) } });

    expect((await sync()).status).toBe('ok');
    expect((await sync()).planned).toMatchObject({ create: 0, update: 0, retire: 0 });
    const steady = known();
    expect(steady?.known).toBe(steady?.of);
    expect(steady?.of).toBeGreaterThan(0);

    // A version changes stage, a second "alice" makes that owner name no one, and a person edits a CI.
    w.mlflow.transitionStage('churn-predictor', '2', 'Archived');
    w.servicenow.insert('sys_user', { user_name: 'alice', name: 'Another Alice', email: 'alice.other@example.com' });
    w.servicenow.setField('cmdb_ci', ci(EDITED).sys_id, 'short_description', 'edited by a person');

    const { fast, slow, counted } = await bothWays();
    expect(fast).toEqual(slow);
    // Both ways were really taken: some records known, the changed ones mapped.
    expect(counted?.known).toBeGreaterThan(0);
    expect(counted?.known).toBeLessThan(counted?.of ?? 0);
    expect(fast.find((d) => d.key === CHANGED)?.fields).toEqual(slow.find((d) => d.key === CHANGED)?.fields);

    // A sync applies those changes, and the run after it knows every record again.
    expect((await sync()).status).toBe('ok');
    const after = await sync();
    expect(after.planned).toMatchObject({ create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 });
    expect(known()?.known).toBe(known()?.of);
  });

  it('are all mapped anew by a full run', async () => {
    w = await startWorld({}, { servicenowNow: () => now });
    logger = new MemoryLogger(new Redactor());
    rt = loadRuntime(w.configFile, { registry, env: w.env, redactor: new Redactor(), makeLogger: () => logger, clock: { now: () => new Date(now) } });
    await sync();
    await sync();
    logger.lines.length = 0;
    now += HOUR;
    const full = await runSync(rt, { allowMassRetire: false, waitMs: 0 }, base(true));
    expect(full.planned).toMatchObject({ create: 0, update: 0 });
    expect(known()).toBeUndefined();
  });
});
