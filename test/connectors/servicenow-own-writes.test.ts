import { servicenowSink } from '../../connectors/sinks/servicenow';
import { SANDBOX_CREDENTIALS } from '../../connectors/sinks/servicenow/fixtures/sandbox';
import { memoryCache, type ConnectorCache, type RunContext, type Sink, type SinkWrite, type WriteResult } from '../../src/engine/types';
import { collect } from '../support/deps';
import { createWrite, modelItem, sentQueries, startServiceNow, versionItem, type ServiceNowFixture, type ServiceNowSetup } from './servicenow-setup';

const WRITER = SANDBOX_CREDENTIALS.username;
const LISTED = new Set(['/api/now/table/cmdb_ci_appl_ai_application', '/api/now/table/cmdb_ci_ai_model_deployment', '/api/now/table/cmdb_rel_ci']);
// The engine's own instant, far back: the connector's stored window, not this, decides what is read.
const ENGINE_SINCE = { changedSince: '2026-11-24T00:00:00.000Z' };

/**
 * Issue 8: an incremental read leaves unread the rows masync's own writer
 * changed between the last read's start and its last write answer (their
 * links hold what it wrote), and still reads every other writer's change
 * and every change after that answer. Runs are contexts sharing one
 * connector cache, as the engine keeps it between runs; the instance's clock
 * moves between a run's read and its writes, and an hour between runs.
 */
describe('ServiceNow sink: an incremental read leaves masync’s own writes unread', () => {
  let fx: ServiceNowFixture;
  let cache: ConnectorCache;
  let now: number;
  const at = (iso: string) => (now = Date.parse(iso));
  afterEach(() => fx.teardown());

  async function start(setup: ServiceNowSetup = {}): Promise<void> {
    at('2026-11-24T10:00:00.000Z');
    fx = await startServiceNow({ emulator: { now: () => now }, pageSize: 2, ...setup });
    cache = memoryCache();
  }

  const run = (full = false): RunContext => fx.runCtx(cache, { full });

  async function read(ctx: RunContext, sink: Sink = fx.sink, opts = ctx.full ? {} : ENGINE_SINCE) {
    fx.emu.server.clearRequests();
    const records = await collect(sink.readManaged(ctx, opts));
    const relations = await collect(sink.readRelations(ctx, opts));
    const pages = fx.emu.server.requests.filter((r) => r.method === 'GET' && LISTED.has(r.path)).length;
    return { records: records.map((r) => r.id).sort(), relations: relations.map((r) => r.id).sort(), pages };
  }

  /** Writes as the applier sends them: in Batch API calls, or one Table API request each. */
  async function apply(writes: SinkWrite[], ctx: RunContext, sink: Sink): Promise<WriteResult[]> {
    if (sink.applyBatch) return sink.applyBatch(writes, ctx);
    return Promise.all(writes.map((w) => sink.apply(w, ctx).then((r): WriteResult => ({ ok: true, id: r.id }), (error: Error): WriteResult => ({ ok: false, error, unknown: true }))));
  }

  /** A model with three versions, each related to it: 4 CIs, then 3 cmdb_rel_ci rows. */
  async function writeModel(ctx: RunContext, name: string, sink: Sink = fx.sink): Promise<string[]> {
    const model = modelItem(name);
    const creates = [model, ...['1', '2', '3'].map((v) => versionItem(model, v))].map((i) => createWrite(sink, fx.mapping, i));
    const ids = await apply(creates, ctx, sink);
    const [m, ...versions] = ids.map((r) => (r.ok ? r.id : ''));
    const relates: SinkWrite[] = versions.map((v) => ({ op: 'relate', type: 'Contains::Contained by', parentId: m ?? '', childId: v, holder: 'child' }));
    const rels = await apply(relates, ctx, sink);
    return [...ids, ...rels].map((r) => (r.ok ? r.id : 'failed'));
  }

  /** Run 1: a first (full) read, then writes a few seconds later. */
  async function firstSync(name = 'own-model'): Promise<string[]> {
    const ctx = run(true);
    await read(ctx);
    at('2026-11-24T10:00:05.000Z');
    return writeModel(ctx, name);
  }

  it('after a first sync, the next read returns none of the rows masync wrote, a page per listing', async () => {
    await start();
    const written = await firstSync();
    expect(written.filter((id) => id === 'failed')).toEqual([]);

    at('2026-11-24T11:00:00.000Z');
    const next = await read(run());
    expect(next).toEqual({ records: [], relations: [], pages: 3 });
    const queries = sentQueries(fx.emu).filter((q) => q.includes('sys_updated_on'));
    expect(queries).toHaveLength(3);
    // From a second before run 1's read began (its Date, less the time its answers took), rows others changed; after its last write answer, anyone's.
    for (const q of queries) expect(q).toMatch(new RegExp(`\\^sys_updated_on>=2026-11-24 09:59:5[89]\\^sys_updated_by!=${WRITER}\\^ORsys_updated_byISEMPTY\\^NQ`));
    expect(queries.every((q) => q.includes('^sys_updated_on>2026-11-24 10:00:05'))).toBe(true);

    // The same read without what run 1 stored reads all seven rows back, in pages of two.
    cache = memoryCache();
    const blind = await read(run());
    expect(blind.records).toHaveLength(4);
    expect(blind.relations).toHaveLength(3);
    expect(blind.pages).toBeGreaterThan(3);
  });

  it('keeps leaving them unread when the next run starts within seconds of their end and writes nothing', async () => {
    await start();
    await firstSync();
    // Run 2 reads two seconds on (its window starts in the second of run 1's last writes) and writes nothing.
    at('2026-11-24T10:00:07.000Z');
    expect(await read(run())).toEqual({ records: [], relations: [], pages: 3 });
    at('2026-11-24T11:00:00.000Z');
    expect(await read(run())).toEqual({ records: [], relations: [], pages: 3 });
    expect(sentQueries(fx.emu).filter((q) => /\^sys_updated_on>=2026-11-24 10:00:05\^sys_updated_by!=/.test(q))).toHaveLength(3);
  });

  it('still reads what another user changed inside masync’s run window, and what anyone changed after its writes ended', async () => {
    await start();
    const [earlier] = await firstSync('earlier-model');
    at('2026-11-24T11:00:00.000Z');
    const ctx = run();
    await read(ctx);
    // Between run 2's read start and the end of its writes, a person edits a CI masync wrote before.
    at('2026-11-24T11:00:02.000Z');
    fx.emu.setField('cmdb_ci', earlier ?? '', 'short_description', 'edited by a person', 'alice');
    at('2026-11-24T11:00:04.000Z');
    const ownIds = await writeModel(ctx, 'later-model');
    // After the writes ended: a change by another user, and one by masync's own account (another tool sharing it).
    at('2026-11-24T11:00:09.000Z');
    const [other, shared] = [ownIds[1] ?? '', ownIds[2] ?? ''];
    fx.emu.setField('cmdb_ci', other, 'short_description', 'edited later', 'bob');
    fx.emu.setField('cmdb_ci', shared, 'short_description', 'edited by a script on the integration account', WRITER);

    at('2026-11-24T12:00:00.000Z');
    const next = await read(run());
    expect(next.records).toEqual([earlier, other, shared].sort());
    expect(next.relations).toEqual([]);
  });

  it('reads masync’s writes back when the instance answers without sys_updated_by', async () => {
    await start();
    for (const table of ['cmdb', 'cmdb_rel_ci']) fx.emu.removeColumn(table, 'sys_updated_by');
    await firstSync();

    at('2026-11-24T11:00:00.000Z');
    const next = await read(run());
    expect(next.records).toHaveLength(4);
    expect(next.relations).toHaveLength(3);
    expect(sentQueries(fx.emu).some((q) => q.includes('sys_updated_by'))).toBe(false);
  });

  it('reads a listing again without the filter when its rows come back without sys_updated_by', async () => {
    await start();
    await firstSync();
    // The writer was learned; then the column goes (an ACL, an upgrade): the rows cannot show the filter was honoured.
    for (const table of ['cmdb', 'cmdb_rel_ci']) fx.emu.removeColumn(table, 'sys_updated_by');
    at('2026-11-24T11:00:00.000Z');
    const ctx = run();
    const next = await read(ctx);
    expect(next.records).toHaveLength(4);
    expect(next.relations).toHaveLength(3);
    expect(fx.deps.logger.lines.join('\n')).toContain('answers without sys_updated_by');

    // Nothing learned this run: the run after it does not filter on the name either.
    at('2026-11-24T12:00:00.000Z');
    await read(run());
    expect(sentQueries(fx.emu).some((q) => q.includes('sys_updated_by'))).toBe(false);
  });

  it('does not skip on a writer name learned under other credentials', async () => {
    await start();
    await firstSync();
    fx.emu.addUser('other.integration', 'another-password');
    const config = servicenowSink.schema.parse({ name: 'snow-test', type: 'servicenow', instance: fx.emu.url, auth: { username: 'other.integration', password: 'another-password' }, pageSize: 2 });
    const other = servicenowSink.create(config, fx.mapping, fx.deps);

    at('2026-11-24T11:00:00.000Z');
    const next = await read(run(), other);
    expect(next.records).toHaveLength(4);
    expect(next.relations).toHaveLength(3);
    expect(sentQueries(fx.emu).some((q) => q.includes('sys_updated_by'))).toBe(false);
  });

  it('reads from before an insert whose answer was lost, and the next runs’ writes back while it may still commit late', async () => {
    await start({ config: { writeApi: 'table' } });
    fx.emu.server.faults.inject({ method: 'POST', path: '/api/now/table/cmdb_rel_ci', afterHandling: true, destroy: true });
    const written = await firstSync();
    expect(written.filter((id) => id === 'failed')).toHaveLength(1);

    // The relation insert went out after the CIs' answers (Date 10:00:05): from that second on, everything is read.
    at('2026-11-24T10:30:00.000Z');
    const ctx = run();
    const next = await read(ctx);
    expect(next.records).toHaveLength(4);
    expect(next.relations).toHaveLength(3);
    expect(new Set(sentQueries(fx.emu).filter((q) => q.includes('^sys_updated_on>2026-11-24 10:00:04^'))).size).toBe(3);
    at('2026-11-24T10:30:05.000Z');
    await writeModel(ctx, 'within-the-hour');

    // That insert could have committed in run 2's window, as a copy: run 2's writes are read back.
    at('2026-11-24T11:30:00.000Z');
    const after = run();
    const third = await read(after);
    expect(third.records).toHaveLength(4);
    expect(third.relations).toHaveLength(3);
    at('2026-11-24T11:30:05.000Z');
    await writeModel(after, 'after-the-hour');

    // Run 3's window began more than an hour after: no late commit can land in it.
    at('2026-11-24T12:30:00.000Z');
    expect(await read(run())).toEqual({ records: [], relations: [], pages: 3 });
  });
});
