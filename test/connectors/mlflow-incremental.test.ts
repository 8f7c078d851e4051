import type { MlflowEmulator } from '../../connectors/sources/mlflow/emulator';
import { seedBulk } from '../../connectors/sources/mlflow/fixtures/sandbox';
import { memoryCache, type ConnectorCache } from '../../src/engine/types';
import { itemHash, type InventoryItem, type ModelVersionItem } from '../../src/inventory';
import { collect } from '../support/deps';
import { connect, emulator, recordingCtx, stopEmulators } from './mlflow-helpers';

const API = '/api/2.0/mlflow';
afterEach(stopEmulators);

const version = (items: InventoryItem[], n: string) => items.find((i): i is ModelVersionItem => i.kind === 'model_version' && i.version === n);
const runCalls = (emu: MlflowEmulator) => emu.server.requests.filter((r) => [`${API}/runs/search`, `${API}/runs/get`, `${API}/experiments/search`].includes(r.path));
const searchedIds = (emu: MlflowEmulator, from = 0) =>
  emu.server.requests
    .slice(from)
    .filter((r) => r.path === `${API}/runs/search`)
    .flatMap((r) => /IN \((.*)\)$/.exec(String((r.body as { filter?: string }).filter))?.[1]?.split(', ').map((q) => q.slice(1, -1)) ?? []);

/** Reads once with the given cache and mode; returns the items and what MLflow was asked for lineage. */
async function read(emu: MlflowEmulator, cache: ConnectorCache, full = false) {
  const mark = emu.server.requests.length;
  const { source, deps } = connect(emu, { versionsPageSize: 2 });
  const { ctx } = recordingCtx(deps, { cache, full });
  const items = await collect(source.list(ctx));
  const calls = emu.server.requests.slice(mark);
  return {
    items,
    runSearches: calls.filter((r) => r.path === `${API}/runs/search`).length,
    lineageCalls: calls.filter((r) => runCalls(emu).includes(r)).length,
    warnings: deps.logger.lines.filter((l) => l.startsWith('warn')),
  };
}

describe('mlflow source: incremental lineage', () => {
  const seed = (e: MlflowEmulator) => {
    e.addModel({ name: 'm' });
    for (let i = 0; i < 5; i++) e.addVersion({ name: 'm', source: 's', runId: e.addRun({ experimentId: String(i), userId: 'u', metrics: { auc: i / 10 }, params: { i: String(i) } }) });
  };

  it('a second read with a warm cache asks MLflow nothing about runs and yields the same items', async () => {
    const emu = await emulator(seed);
    const cache = memoryCache();
    const first = await read(emu, cache);
    const second = await read(emu, cache);

    expect(first.runSearches).toBeGreaterThan(0);
    expect(second.lineageCalls).toBe(0);
    expect(second.items.map(itemHash).sort()).toEqual(first.items.map(itemHash).sort());
    expect(version(second.items, '3')?.metrics).toEqual({ auc: 0.2 });
  });

  it('re-reads a RUNNING run every time, and keeps it once it has finished', async () => {
    let running = '';
    const emu = await emulator((e) => {
      seed(e);
      running = e.addRun({ experimentId: '9', userId: 'u', status: 'RUNNING', metrics: { auc: 0.5 } });
      e.addVersion({ name: 'm', source: 's', runId: running });
    });
    const cache = memoryCache();
    await read(emu, cache);

    emu.updateRun(running, { metrics: { auc: 0.7 } });
    let mark = emu.server.requests.length;
    const second = await read(emu, cache);
    expect(version(second.items, '6')?.metrics).toEqual({ auc: 0.7 });
    expect(searchedIds(emu, mark)).toEqual([running]);

    emu.updateRun(running, { status: 'FINISHED', metrics: { auc: 0.9 } });
    mark = emu.server.requests.length;
    const third = await read(emu, cache);
    expect(version(third.items, '6')?.metrics).toEqual({ auc: 0.9 });
    expect(searchedIds(emu, mark)).toEqual([running]);

    const fourth = await read(emu, cache);
    expect(fourth.lineageCalls).toBe(0);
    expect(version(fourth.items, '6')?.metrics).toEqual({ auc: 0.9 });
  });

  it('a full read trusts no cache entry: it re-reads every run and refreshes what the cache holds', async () => {
    const emu = await emulator(seed);
    const cache = memoryCache();
    await read(emu, cache);
    // Someone logs to a finished run: an incremental read does not look, a full read does.
    const runId = version((await read(emu, cache)).items, '2')?.runId ?? '';
    emu.updateRun(runId, { params: { i: 'changed' } });

    expect(version((await read(emu, cache)).items, '2')?.params.i).toBe('1');
    const full = await read(emu, cache, true);
    expect(version(full.items, '2')?.params.i).toBe('changed');
    expect(full.runSearches).toBeGreaterThan(0);
    const after = await read(emu, cache);
    expect(after.lineageCalls).toBe(0);
    expect(version(after.items, '2')?.params.i).toBe('changed');
  });

  it('a full read asks for a run shared by versions on different pages once', async () => {
    const emu = await emulator((e) => {
      e.addModel({ name: 'm' });
      const shared = e.addRun({ experimentId: '1', userId: 'u', params: { p: 'shared' } });
      for (let i = 0; i < 5; i++) e.addVersion({ name: 'm', source: 's', runId: shared });
    });
    await read(emu, memoryCache(), true);
    expect(searchedIds(emu)).toHaveLength(1);
  });

  it('remembers a run deleted for good: the warm read asks nothing and still warns', async () => {
    const emu = await emulator((e) => {
      seed(e);
      const gone = e.addRun({ experimentId: '1', userId: 'u' });
      e.addVersion({ name: 'm', source: 's', runId: gone });
      e.deleteRun(gone);
    });
    const cache = memoryCache();
    const first = await read(emu, cache);
    const second = await read(emu, cache);
    expect(first.warnings).toHaveLength(1);
    expect(second.warnings).toEqual(first.warnings);
    expect(second.lineageCalls).toBe(0);
  });

  it('treats a cache entry of another shape as a miss, never as lineage', async () => {
    const emu = await emulator(seed);
    const cache = memoryCache();
    const first = await read(emu, cache);
    const runId = version(first.items, '1')?.runId ?? '';
    const shard = ['runs.v2:'].flatMap((prefix) => Array.from({ length: 64 }, (_, i) => `${prefix}${i}`)).find((k) => runId in (cache.get<Record<string, unknown>>(k) ?? {})) ?? '';
    cache.set(shard, { ...cache.get<Record<string, unknown>>(shard), [runId]: ['FINISHED', null, null, null, 'something else', {}, []] });

    const second = await read(emu, cache);
    expect(searchedIds(emu).filter((id) => id === runId)).toHaveLength(2);
    expect(second.runSearches).toBe(1);
    expect(second.items.map(itemHash).sort()).toEqual(first.items.map(itemHash).sort());
  });

  it('keeps runs a few cache entries to the lot: a warm read of 200 versions reads at most 64, and a full read drops runs no version names', async () => {
    const emu = await emulator((e) => seedBulk(e, { models: 40, versionsPerModel: 5 }));
    const inner = memoryCache();
    const gets = new Set<string>();
    const cache: ConnectorCache = { get: (k) => (gets.add(k), inner.get(k)), set: (k, v) => inner.set(k, v), delete: (k) => inner.delete(k) };
    const runIds = (items: InventoryItem[]) => items.flatMap((i) => (i.kind === 'model_version' && i.runId ? [i.runId] : []));
    const cached = () => Array.from({ length: 64 }, (_, i) => Object.keys(inner.get<Record<string, unknown>>(`runs.v2:${i}`) ?? {})).flat();

    const first = await read(emu, cache);
    expect(cached().sort()).toEqual(runIds(first.items).sort());
    gets.clear();
    const warm = await read(emu, cache);
    expect(warm.lineageCalls).toBe(0);
    expect(gets.size).toBeLessThanOrEqual(64);

    const gone = version(first.items, '5') as ModelVersionItem;
    emu.deleteVersion(gone.name, '5');
    await read(emu, cache);
    expect(cached()).toContain(gone.runId);
    const full = await read(emu, cache, true);
    expect(cached().sort()).toEqual(runIds(full.items).sort());
    expect(cached()).not.toContain(gone.runId);
  });
});
