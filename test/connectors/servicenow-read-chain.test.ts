import { memoryCache, type ConnectorCache, type RunContext, type SinkReadOptions } from '../../src/engine/types';
import { collect } from '../support/deps';
import { createWrite, modelItem, sentQueries, startServiceNow, versionItem, type ServiceNowFixture } from './servicenow-setup';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Issue 8: a read costs the round trips of its longest listing, and an
 * incremental read starts where the last complete read began, counted on the
 * instance's clock. Round trips are counted by cause in the emulator (a
 * request is one deeper than the deepest answered before it arrived), with
 * latency in front of every answer so requests sent together overlap.
 */
describe('ServiceNow sink: the read chain', () => {
  let fx: ServiceNowFixture;
  afterEach(() => fx.teardown());

  let now = Date.parse('2026-11-24T10:00:00.000Z');
  const read = async (ctx: RunContext, opts: SinkReadOptions = {}) => ({ records: await collect(fx.sink.readManaged(ctx, opts)), relations: await collect(fx.sink.readRelations(ctx, opts)) });

  /** A model with `versions` versions, each contained by it, written as a sync would. */
  const seed = async (name: string, versions: number) => {
    const ctx = fx.ctx();
    const model = modelItem(name);
    const m = await fx.sink.apply(createWrite(fx.sink, fx.mapping, model), ctx);
    const ids: string[] = [m.id];
    for (let v = 1; v <= versions; v++) {
      const vid = await fx.sink.apply(createWrite(fx.sink, fx.mapping, versionItem(model, String(v))), ctx);
      await fx.sink.apply({ op: 'relate', type: 'Contains::Contained by', parentId: m.id, childId: vid.id, holder: 'child' }, ctx);
      ids.push(vid.id);
    }
    return ids;
  };

  it('asks for every class and the relations at once: the read is one round trip deep', async () => {
    fx = await startServiceNow();
    await seed('chain', 3);
    const cache = memoryCache();
    await read(fx.runCtx(cache)); // the relation types, cached for the runs after
    fx.emu.server.setLatency(50);
    fx.emu.server.clearRequests();
    const { records, relations } = await read(fx.runCtx(cache));
    expect(records).toHaveLength(4);
    expect(relations).toHaveLength(3);
    expect(fx.emu.server.count('GET')).toBe(3);
    expect(fx.emu.server.roundTripShape()).toEqual({ depth: 1, peakInFlight: 3 });
  });

  it('reads a long listing a few pages at a time, each record once and in the order of one-by-one paging', async () => {
    fx = await startServiceNow({ pageSize: 5 });
    await seed('pages', 22);
    const cache = memoryCache();
    await read(fx.runCtx(cache));
    fx.emu.server.setLatency(50);
    fx.emu.server.clearRequests();
    const { records, relations } = await read(fx.runCtx(cache));
    const expected = fx.emu.query('cmdb_ci', 'discovery_source=masync^sys_class_name=cmdb_ci_appl_ai_application^ORDERBYsys_id').map((r) => r.sys_id);
    expect(records.map((r) => r.id)).toEqual(expected);
    expect(relations).toHaveLength(22);
    // 23 records and 22 relations at 5 a page: 5 + 1 + 5 pages; after each listing's first page, the rest go out together.
    expect(fx.emu.server.count('GET')).toBe(11);
    expect(fx.emu.server.roundTripShape().depth).toBeLessThanOrEqual(3);
  });

  it("starts an incremental read where the last complete read began, on the instance's clock, whatever masync's clock says", async () => {
    fx = await startServiceNow({ emulator: { now: () => now } });
    // Written within the engine's 5-minute margin of the read below.
    now = Date.parse('2026-11-24T09:58:00.000Z');
    const [model, v1, v2] = await seed('cursor', 2);
    const cache: ConnectorCache = memoryCache();
    // masync's own clock is two hours off the instance's: nothing below depends on it.
    const skewed = { now: () => new Date(now - 2 * HOUR) };
    const run = (opts: SinkReadOptions = {}) => read(fx.runCtx(cache, { clock: skewed }), opts);

    now = Date.parse('2026-11-24T10:00:00.000Z');
    // A person edits v1 while the read is under way.
    fx.emu.server.onRequest = () => {
      fx.emu.server.onRequest = undefined;
      fx.emu.setField('cmdb_ci', v1 as string, 'short_description', 'edited during the read');
    };
    expect((await run()).records).toHaveLength(3);
    // Then that run writes (after its read): a newer change than anything the read saw.
    now += MINUTE;
    await fx.sink.apply({ op: 'update', class: 'cmdb_ci_appl_ai_application', key: 'k', id: model as string, fields: { short_description: 'written by masync' } }, fx.ctx());

    // The engine's cursor (the newest change seen, less its 5-minute margin) would read all three again.
    const engineSince = (newest: number) => ({ changedSince: new Date(newest - 5 * MINUTE).toISOString() });
    now += HOUR;
    const second = await run(engineSince(Date.parse('2026-11-24T10:00:00.000Z')));
    expect(second.records.map((r) => r.id).sort()).toEqual([model, v1].sort());
    expect(sentQueries(fx.emu).at(-1)).toMatch(/sys_updated_on>=2026-11-24 09:59:5[89]\^/);

    // masync's write was read once, by the run after it; the run after that reads nothing again.
    now += HOUR;
    const third = await run(engineSince(Date.parse('2026-11-24T10:01:00.000Z')));
    expect(third.records).toEqual([]);
    expect(third.relations).toEqual([]);
    expect(fx.emu.get('cmdb_ci', v2 as string)?.short_description).not.toBe('edited during the read');
  });

  it('keeps the cursor where it was when a read fails, and reads everything when the read is full', async () => {
    fx = await startServiceNow({ emulator: { now: () => now } });
    now = Date.parse('2026-11-24T09:00:00.000Z');
    const [model] = await seed('failing', 1);
    const cache = memoryCache();
    now = Date.parse('2026-11-24T10:00:00.000Z');
    await read(fx.runCtx(cache));

    now = Date.parse('2026-11-24T10:30:00.000Z');
    fx.emu.setField('cmdb_ci', model as string, 'short_description', 'edited by a person');
    now = Date.parse('2026-11-24T11:00:00.000Z');
    fx.emu.server.faults.inject({ method: 'GET', path: '/api/now/table/cmdb_rel_ci', status: 403, body: { error: { message: 'denied' } } });
    const since = { changedSince: '2026-11-24T09:00:00.000Z' };
    await expect(read(fx.runCtx(cache), since)).rejects.toThrow();

    now = Date.parse('2026-11-24T12:00:00.000Z');
    const after = await read(fx.runCtx(cache), since);
    // Still from the read at 10:00: the edit at 10:30 is not lost with the failed read at 11:00.
    expect(after.records.map((r) => r.id)).toEqual([model]);
    expect(sentQueries(fx.emu).at(-1)).toMatch(/sys_updated_on>=2026-11-24 09:59:5[89]\^/);

    const full = await read(fx.runCtx(cache, { full: true }));
    expect(full.records).toHaveLength(2);
  });
});
