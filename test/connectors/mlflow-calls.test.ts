import { mlflowCallBound } from '../../connectors/sources/mlflow/call-bound';
import { pages } from '../../connectors/sources/mlflow/paging';
import { seedBulk } from '../../connectors/sources/mlflow/fixtures/sandbox';
import { memoryCache, standaloneContext } from '../../src/engine/types';
import { collect, testDeps } from '../support/deps';
import { connect, emulator, recordingCtx, stopEmulators } from './mlflow-helpers';

const API = '/api/2.0/mlflow';
afterEach(stopEmulators);

describe('mlflow source: calls per read', () => {
  it('the bound counts every listing page, and experiments and run batches only when runs are fetched', () => {
    const pageSizes = { models: 1000, versions: 10_000, experiments: 1000, runsBatch: 1000 };
    expect(mlflowCallBound({ models: 10_000, versions: 100_000, experiments: 10_000, runsToFetch: 100_000, pageSizes })).toBe(10 + 10 + 10 + 100);
    expect(mlflowCallBound({ models: 10_000, versions: 100_000, experiments: 10_000, runsToFetch: 0, pageSizes })).toBe(20);
    expect(mlflowCallBound({ models: 0, versions: 0, experiments: 0, runsToFetch: 0, pageSizes })).toBe(2);
    expect(mlflowCallBound({ models: 1, versions: 3, experiments: 1, runsToFetch: 2, runsOneByOne: 1, pageSizes })).toBe(5);
  });

  it('a first read makes exactly the bound of calls, and a warm re-read only the registry pages', async () => {
    const size = { models: 12, versionsPerModel: 5 };
    const emu = await emulator((e) => seedBulk(e, size));
    const pageSizes = { models: 5, versions: 20, experiments: 4, runsBatch: 10 };
    const config = { pageSize: 5, versionsPageSize: 20, runsBatchSize: 10 };
    const cache = memoryCache();
    const read = async () => {
      const mark = emu.server.requests.length;
      const { source, deps } = connect(emu, config);
      await collect(source.list(recordingCtx(deps, { cache }).ctx));
      return emu.server.requests.length - mark;
    };
    const read1 = { models: size.models, versions: size.models * size.versionsPerModel, experiments: size.models, pageSizes };
    expect(await read()).toBe(mlflowCallBound({ ...read1, runsToFetch: read1.versions }));
    expect(await read()).toBe(mlflowCallBound({ ...read1, runsToFetch: 0 }));
  });

  it('asks for the next versions page before resolving the lineage of this one', async () => {
    const emu = await emulator((e) => seedBulk(e, { models: 3, versionsPerModel: 2 }));
    const order: string[] = [];
    emu.server.onRequest = (req) => void order.push(req.path.replace(`${API}/`, ''));
    const { source, ctx } = connect(emu, { versionsPageSize: 2 });
    await collect(source.list(ctx));
    // Models, the first versions page and (the cache being empty) the experiments go out together;
    // page 2 is on its way before page 1's runs are looked up, and page 3 only after page 1 is done.
    expect(order.slice(0, 3).sort()).toEqual(['experiments/search', 'model-versions/search', 'registered-models/search']);
    expect(order[3]).toBe('model-versions/search');
    expect(order.filter((p) => p === 'model-versions/search')).toHaveLength(3);
    expect(order.indexOf('runs/search')).toBeGreaterThan(3);
    expect(order.indexOf('runs/search')).toBeLessThan(order.lastIndexOf('model-versions/search'));
  });

  it('lists models beside versions: a first read is two round trips deep, a warm one one', async () => {
    const emu = await emulator((e) => seedBulk(e, { models: 4, versionsPerModel: 3 }));
    const cache = memoryCache();
    const read = async () => {
      emu.server.clearRequests();
      const { source, deps } = connect(emu);
      await collect(source.list(recordingCtx(deps, { cache }).ctx));
      return emu.server.roundTripShape();
    };
    emu.server.setLatency(40);
    // Models, versions and experiments at once; then the runs of the one versions page.
    expect(await read()).toEqual({ depth: 2, peakInFlight: 3 });
    expect(await read()).toEqual({ depth: 1, peakInFlight: 2 });
  });

  it('pages ahead by one page at most, and surfaces a failed prefetch when its page is reached', async () => {
    const fetched: Array<string | undefined> = [];
    const ctx = standaloneContext(testDeps().logger);
    const fetchPage = async (token: string | undefined) => {
      fetched.push(token);
      if (token === 'p3') throw new Error('page 3 failed');
      return { n: token ?? 'p1', nextPageToken: token === undefined ? 'p2' : token === 'p2' ? 'p3' : undefined };
    };
    const it = pages(ctx, 'test', fetchPage, { ahead: true });
    expect((await it.next()).value).toMatchObject({ n: 'p1' });
    expect(fetched).toEqual([undefined, 'p2']);
    expect((await it.next()).value).toMatchObject({ n: 'p2' });
    expect(fetched).toEqual([undefined, 'p2', 'p3']);
    await expect(it.next()).rejects.toThrow('page 3 failed');
  });
});
