import { memoryCache } from '../../src/engine/types';
import { itemHash } from '../../src/inventory';
import { collect, testCtx } from '../support/deps';
import { connect, emulator, operations, stopEmulators, versionOf } from './wandb-helpers';

afterEach(stopEmulators);

const lineageAsked = (emu: Awaited<ReturnType<typeof emulator>>) =>
  operations(emu, 'ModelCollections').map((r) => (r.body as { variables: { lineage: boolean } }).variables.lineage);

describe('wandb source: lineage cache', () => {
  it('a warm cache leaves run config and summary out of the page queries, and the items stay the same', async () => {
    const emu = await emulator((e) => {
      for (let v = 0; v < 3; v++) {
        const run = e.logRun({ project: 'acme/p', user: 'bob', config: { lr: v }, summary: { auc: 0.8 + v / 100 } });
        e.logArtifact({ collection: 'acme/p/m', run });
      }
    });
    const { source, deps } = connect(emu, { projects: ['p'] });
    const ctx = { ...testCtx(deps), cache: memoryCache(), full: false };
    const cold = await collect(source.list(ctx));
    const warm = await collect(source.list(ctx));
    expect(lineageAsked(emu)).toEqual([true, false]);
    expect(operations(emu, 'RunLineages')).toHaveLength(0);
    expect(warm.map(itemHash)).toEqual(cold.map(itemHash));
    expect(versionOf(warm, 'acme/p/m:v2').params).toEqual({ lr: '2' });

    const full = await collect(source.list({ ...ctx, full: true }));
    expect(lineageAsked(emu)).toEqual([true, false, true]);
    expect(full.map(itemHash)).toEqual(cold.map(itemHash));
  });

  it('fetches only the runs the cache lacks, in one batch: new ones and ones still running', async () => {
    const emu = await emulator((e) => {
      e.logArtifact({ collection: 'acme/p/m', run: e.logRun({ project: 'acme/p', user: 'bob', summary: { auc: 0.8 } }) });
      e.logArtifact({ collection: 'acme/p/m', run: e.logRun({ project: 'acme/p', name: 'live', user: 'bob', state: 'running', summary: { auc: 0.85 } }) });
    });
    const { source, deps } = connect(emu, { projects: ['p'] });
    const ctx = { ...testCtx(deps), cache: memoryCache(), full: false };
    await collect(source.list(ctx));
    emu.logArtifact({ collection: 'acme/p/m', run: emu.logRun({ project: 'acme/p', name: 'fresh', user: 'carol', config: { depth: 9 }, summary: { auc: 0.9 } }) });
    const items = await collect(source.list(ctx));

    const batches = operations(emu, 'RunLineages').map((r) => (r.body as { variables: Record<string, string> }).variables);
    expect(batches).toEqual([{ e0: 'acme', p0: 'p', r0: 'live', e1: 'acme', p1: 'p', r1: 'fresh' }]);
    expect(versionOf(items, 'acme/p/m:v2')).toMatchObject({ owner: 'carol', runId: 'acme/p/fresh', params: { depth: '9' }, metrics: { auc: 0.9 } });
    expect(versionOf(items, 'acme/p/m:v1').metrics).toEqual({ auc: 0.85 });
  });
});
