import { desiredFor } from '../../src/app/desired';
import { readSources } from '../../src/app/read-sources';
import { openRunEnv } from '../../src/app/run-env';
import type { Runtime } from '../../src/app/runtime';
import { carriesValues } from '../../src/engine/lean-record';
import type { DesiredRecord } from '../../src/engine/types';
import { loadLinks } from '../../src/state/links';
import { ClockedWorld, HOUR } from '../support/clocked-world';
import { SINK } from '../support/sync-world';

const CHANGED = 'mlflow://mlflow.trust/models/churn-predictor/versions/2';
const EDITED = 'mlflow://mlflow.trust/models/credit-scoring/versions/1';

/**
 * Issue 8: a record whose item, mapping, lookups and instance columns are
 * as they were when masync last wrote or confirmed it is known without
 * mapping its item again. Known or mapped, the desired record must be the
 * same: both ways are run on one run's data and compared record for record.
 */
describe('records known from what they were last mapped from', () => {
  let c: ClockedWorld;
  afterEach(() => c.stop());

  const known = () => {
    const line = c.logger.lines.find((l) => l.includes(`sink ${SINK}: `) && l.includes('known from what they were last mapped from')) ?? '';
    const m = /(\d+) of (\d+) record/.exec(line);
    return m ? { known: Number(m[1]), of: Number(m[2]) } : undefined;
  };
  const ci = (key: string) => c.w.managed().find((r) => r.correlation_id === key) as { sys_id: string };

  /** The desired records of this moment, known where they can be and mapped anew, as plain comparable values. */
  const bothWays = async () => {
    c.now += HOUR;
    const env = openRunEnv(c.rt, c.base());
    const handle = c.rt.sinks[0] as Runtime['sinks'][number];
    const ctx = env.ctxOf(handle.sink.name);
    const items = (await readSources(c.rt.sources, env.ctxOf)).flatMap((r) => r.items);
    const links = loadLinks(c.rt.db, env.keys, handle.sink.name, (k) => handle.sink.identity.of(k));
    const retiredFields = handle.sink.retiredFields();
    const view = (d: DesiredRecord) => ({ ...d, fields: { ...d.fields }, retired: carriesValues(d.fields, retiredFields) });
    c.logger.lines.length = 0;
    const fast = (await desiredFor(handle, items, { links, retiredFields, remapAll: false }, ctx)).map(view);
    const counted = known();
    const slow = (await desiredFor(handle, items, { links, retiredFields, remapAll: true }, ctx)).map(view);
    return { fast, slow, counted };
  };

  it('are the records mapping every item anew gives, whatever changed in the registry, the lookups or the sink', async () => {
    c = await ClockedWorld.open({}, { start: '2026-11-25T08:00:00.000Z' });
    expect((await c.sync()).status).toBe('ok');
    expect((await c.sync()).planned).toMatchObject({ create: 0, update: 0, retire: 0 });
    const steady = known();
    expect(steady?.known).toBe(steady?.of);
    expect(steady?.of).toBeGreaterThan(0);

    // A version changes stage, a second "alice" makes that owner name no one, and a person edits a CI.
    c.w.mlflow.transitionStage('churn-predictor', '2', 'Archived');
    c.w.servicenow.insert('sys_user', { user_name: 'alice', name: 'Another Alice', email: 'alice.other@example.com' });
    c.w.servicenow.setField('cmdb_ci', ci(EDITED).sys_id, 'short_description', 'edited by a person');

    const { fast, slow, counted } = await bothWays();
    expect(fast).toEqual(slow);
    // Both ways were really taken: some records known, the changed ones mapped.
    expect(counted?.known).toBeGreaterThan(0);
    expect(counted?.known).toBeLessThan(counted?.of ?? 0);
    expect(fast.find((d) => d.key === CHANGED)?.fields).toEqual(slow.find((d) => d.key === CHANGED)?.fields);

    // A sync applies those changes, and the run after it knows every record again.
    expect((await c.sync()).status).toBe('ok');
    const after = await c.sync();
    expect(after.planned).toMatchObject({ create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 });
    expect(known()?.known).toBe(known()?.of);
  });

  it('are all mapped anew by a full run', async () => {
    c = await ClockedWorld.open({}, { start: '2026-11-25T08:00:00.000Z' });
    await c.sync();
    await c.sync();
    const full = await c.sync({ full: true });
    expect(full.planned).toMatchObject({ create: 0, update: 0 });
    expect(known()).toBeUndefined();
  });
});
