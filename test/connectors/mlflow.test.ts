import type { MlflowEmulator } from '../../connectors/sources/mlflow/emulator';
import { seedSandbox } from '../../connectors/sources/mlflow/fixtures/sandbox';
import type { Progress } from '../../src/engine/types';
import type { InventoryItem, ModelItem, ModelVersionItem } from '../../src/inventory';
import { collect } from '../support/deps';
import { connect, emulator, stopEmulators } from './mlflow-helpers';

const API = '/api/2.0/mlflow';
afterEach(stopEmulators);

function version(items: InventoryItem[], name: string, n: string): ModelVersionItem {
  const found = items.find((i): i is ModelVersionItem => i.kind === 'model_version' && i.name === name && i.version === n);
  if (!found) throw new Error(`no item for ${name} version ${n}`);
  return found;
}

function model(items: InventoryItem[], name: string): ModelItem {
  const found = items.find((i): i is ModelItem => i.kind === 'model' && i.name === name);
  if (!found) throw new Error(`no item for model ${name}`);
  return found;
}

describe('mlflow source: reading', () => {
  it('pages through models and versions, asking for exactly the configured page sizes, versions first', async () => {
    const emu = await emulator((e) => {
      for (let m = 1; m <= 5; m++) {
        e.addModel({ name: `model-${m}` });
        for (let v = 0; v < 3; v++) e.addVersion({ name: `model-${m}`, source: `s3://b/${m}/${v}` });
      }
    });
    const { source, ctx } = connect(emu, { pageSize: 2, versionsPageSize: 3 });
    const items = await collect(source.list(ctx));

    expect(items.filter((i) => i.kind === 'model')).toHaveLength(5);
    expect(items.filter((i) => i.kind === 'model_version')).toHaveLength(15);
    const kinds = items.map((i) => i.kind);
    expect(kinds.lastIndexOf('model_version')).toBeLessThan(kinds.indexOf('model'));
    for (const [path, pages, size] of [['registered-models/search', 3, '2'], ['model-versions/search', 5, '3']] as const) {
      const calls = emu.server.requests.filter((r) => r.path === `${API}/${path}`);
      expect(calls).toHaveLength(pages);
      expect(calls.every((r) => r.query.get('max_results') === size)).toBe(true);
      expect(calls[0]?.query.get('page_token')).toBeNull();
      expect(calls.slice(1).every((r) => (r.query.get('page_token') ?? '') !== '')).toBe(true);
      expect(calls.every((r) => r.query.get('filter') === null)).toBe(true);
    }
  });

  it('maps aliases, stages, links and lineage (metrics, params, datasets, run name)', async () => {
    let runId = '';
    const emu = await emulator((e) => {
      e.addModel({ name: 'fraud/detector', description: 'finds fraud', tags: { team: 'risk' } });
      runId = e.addRun({
        experimentId: '7',
        userId: 'alice',
        runName: 'bright-owl',
        metrics: { auc: [0.8, 0.9, 0.85], f1: 0.7 },
        params: { lr: '0.01' },
        datasets: [
          { name: 'train', digest: 'abc', sourceType: 's3', source: { uri: 's3://d/train.parquet' }, context: 'train' },
          { name: 'hub', sourceType: 'http', source: { url: 'https://example.com/eval.csv' }, context: 'eval' },
          { name: 'delta', sourceType: 'delta', source: { path: 'dbfs:/t' } },
          { name: 'raw', source: '/local/file.csv' },
          { name: 'code', sourceType: 'code', source: { tags: { x: '1' } } },
        ],
      });
      e.addVersion({ name: 'fraud/detector', source: 's3://m/1', runId, stage: 'Production', description: 'first' });
      e.addVersion({ name: 'fraud/detector', source: 's3://m/2', stage: 'None' });
      e.setAlias('fraud/detector', 'champion', '1');
      e.setAlias('fraud/detector', 'stable', '1');
      e.setAlias('fraud/detector', 'challenger', '2');
    });
    const { source, ctx } = connect(emu, { uiUrl: 'https://mlflow.example.com/' });
    const items = await collect(source.list(ctx));

    const v1 = version(items, 'fraud/detector', '1');
    expect(v1).toMatchObject({
      key: `mlflow://${new URL(emu.url).host}/models/fraud%2Fdetector/versions/1`,
      versionOf: `mlflow://${new URL(emu.url).host}/models/fraud%2Fdetector`,
      links: { ui: 'https://mlflow.example.com/#/models/fraud%2Fdetector/versions/1' },
      description: 'first',
      stage: 'Production',
      aliases: ['champion', 'stable'],
      status: 'READY',
      artifactUri: 's3://m/1',
      runId,
      runName: 'bright-owl',
      metrics: { auc: 0.85, f1: 0.7 },
      params: { lr: '0.01' },
    });
    expect(v1.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(v1.datasets).toEqual([
      { name: 'train', digest: 'abc', sourceType: 's3', uri: 's3://d/train.parquet', context: 'train' },
      { name: 'hub', digest: expect.any(String), sourceType: 'http', uri: 'https://example.com/eval.csv', context: 'eval' },
      { name: 'delta', digest: expect.any(String), sourceType: 'delta', uri: 'dbfs:/t' },
      { name: 'raw', digest: expect.any(String), uri: '/local/file.csv' },
      { name: 'code', digest: expect.any(String), sourceType: 'code' },
    ]);
    const v2 = version(items, 'fraud/detector', '2');
    expect(v2.stage).toBeUndefined();
    expect(v2.aliases).toEqual(['challenger']);

    const m = model(items, 'fraud/detector');
    expect(m).toMatchObject({
      description: 'finds fraud',
      tags: { team: 'risk' },
      aliases: { champion: '1', stable: '1', challenger: '2' },
      latestVersions: { Production: '1' },
      links: { ui: 'https://mlflow.example.com/#/models/fraud%2Fdetector' },
    });
    expect(source.kindOfKey(m.key)).toBe('model');
    expect(source.kindOfKey(v1.key)).toBe('model_version');
    expect(source.kindOfKey('mlflow://elsewhere/models/x')).toBeUndefined();
  });

  it('finds an owner through the fallback chain, and a cost center from version or model tags', async () => {
    const emu = await emulator((e) => {
      e.addModel({ name: 'tagged', tags: { owner: 'model-owner', cost_center: 'Platform' } });
      e.addVersion({ name: 'tagged', source: 's', tags: { owner: 'version-owner', cost_center: 'Risk Analytics' } });
      e.addVersion({ name: 'tagged', source: 's', userId: 'registrar' });

      e.addModel({ name: 'untagged' });
      e.addVersion({ name: 'untagged', source: 's', userId: 'registrar' });
      const byRunUser = e.addRun({ experimentId: '1', userId: 'run-user' });
      e.addVersion({ name: 'untagged', source: 's', runId: byRunUser });
      const byRunTag = e.addRun({ experimentId: '1', userId: '', tags: { 'mlflow.user': 'tag-user' } });
      e.addVersion({ name: 'untagged', source: 's', runId: byRunTag });
      e.addVersion({ name: 'untagged', source: 's' });

      e.addModel({ name: 'first-deleted' });
      e.addVersion({ name: 'first-deleted', source: 's', userId: 'gone' });
      e.addVersion({ name: 'first-deleted', source: 's', runId: e.addRun({ experimentId: '2', userId: 'second' }) });
      e.deleteVersion('first-deleted', '1');
    });
    const { source, ctx } = connect(emu);
    const items = await collect(source.list(ctx));

    expect(version(items, 'tagged', '1')).toMatchObject({ owner: 'version-owner', costCenter: 'Risk Analytics' });
    expect(version(items, 'tagged', '2')).toMatchObject({ owner: 'model-owner', costCenter: 'Platform' });
    expect(version(items, 'untagged', '1').owner).toBe('registrar');
    expect(version(items, 'untagged', '2').owner).toBe('run-user');
    expect(version(items, 'untagged', '3').owner).toBe('tag-user');
    expect(version(items, 'untagged', '4').owner).toBeUndefined();
    expect(version(items, 'untagged', '4').costCenter).toBeUndefined();
    expect(model(items, 'tagged').owner).toBe('model-owner');
    expect(model(items, 'untagged').owner).toBe('registrar');
    expect(model(items, 'first-deleted').owner).toBe('second');
  });

  it('reads owner and cost center from the configured tag names', async () => {
    const emu = await emulator((e) => {
      e.addModel({ name: 'm', tags: { owner: 'ignored', steward: 'carol', cc: 'Platform' } });
      e.addVersion({ name: 'm', source: 's' });
    });
    const { source, ctx } = connect(emu, { ownerTag: 'steward', costCenterTag: 'cc' });
    const items = await collect(source.list(ctx));
    expect(model(items, 'm')).toMatchObject({ owner: 'carol', costCenter: 'Platform' });
    expect(version(items, 'm', '1')).toMatchObject({ owner: 'carol', costCenter: 'Platform' });
  });

  it('reads a version without a run and one whose run was deleted, warning only about the deleted one', async () => {
    let deleted = '';
    const emu = await emulator((e) => {
      e.addModel({ name: 'm' });
      e.addVersion({ name: 'm', source: 's' });
      deleted = e.addRun({ experimentId: '1', userId: 'alice', metrics: { auc: 1 } });
      e.addVersion({ name: 'm', source: 's', runId: deleted });
      e.deleteRun(deleted);
    });
    const { source, ctx, deps } = connect(emu);
    const items = await collect(source.list(ctx));

    const noRun = version(items, 'm', '1');
    expect(noRun.runId).toBeUndefined();
    expect(noRun).toMatchObject({ metrics: {}, params: {}, datasets: [] });
    const gone = version(items, 'm', '2');
    expect(gone.runId).toBe(deleted);
    expect(gone.runName).toBeUndefined();
    expect(gone.metrics).toEqual({});
    const warnings = deps.logger.lines.filter((l) => l.startsWith('warn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(deleted);
    expect(warnings[0]).toContain('m version 2');
  });

  it('fetches a run shared by several versions once per read', async () => {
    const emu = await emulator((e) => {
      const runId = e.addRun({ experimentId: '1', userId: 'alice', params: { p: '1' } });
      for (const name of ['a', 'b', 'c']) {
        e.addModel({ name });
        e.addVersion({ name, source: 's', runId });
      }
    });
    const { source, ctx } = connect(emu, { pageSize: 1, versionsPageSize: 1 });
    const items = await collect(source.list(ctx));
    expect(items.filter((i) => i.kind === 'model_version').every((v) => v.kind === 'model_version' && v.params.p === '1')).toBe(true);
    expect(emu.server.count('POST', `${API}/runs/search`)).toBe(1);
    expect(emu.server.count('GET', `${API}/runs/get`)).toBe(0);
  });

  it('reads on its own a model registered after the model listing, with its version', async () => {
    const emu = await emulator((e) => {
      e.addModel({ name: 'early' });
      e.addVersion({ name: 'early', source: 's' });
    });
    let added = false;
    emu.server.onRequest = (req) => {
      if (req.path === `${API}/model-versions/search` && !added) {
        added = true;
        emu.addModel({ name: 'late' });
        emu.addVersion({ name: 'late', source: 's' });
      }
    };
    const { source, ctx, deps } = connect(emu);
    const items = await collect(source.list(ctx));
    expect(items.map((i) => `${i.kind} ${i.name}`).sort()).toEqual(['model early', 'model late', 'model_version early', 'model_version late']);
    expect(emu.server.requests.filter((r) => r.path === `${API}/registered-models/get`).map((r) => r.query.get('name'))).toEqual(['late']);
    expect(deps.logger.lines.some((l) => l.includes('registered model late was not in the listing'))).toBe(true);
  });

  it('skips, with a warning, a version whose model was deleted while the versions were listed', async () => {
    const emu = await emulator((e) => {
      e.addModel({ name: 'kept' });
      e.addVersion({ name: 'kept', source: 's' });
      e.addModel({ name: 'going' });
      e.addVersion({ name: 'going', source: 's' });
    });
    // The versions listing still shows the model the registry listing missed, and then the model is gone.
    emu.server.faults.inject({
      path: `${API}/registered-models/search`,
      status: 200,
      body: { registered_models: [{ name: 'kept' }] },
    });
    emu.server.onRequest = (req) => {
      if (req.path === `${API}/registered-models/get`) emu.deleteModel('going');
    };
    const { source, ctx, deps } = connect(emu);
    const items = await collect(source.list(ctx));
    expect(items.map((i) => `${i.kind} ${i.name}`).sort()).toEqual(['model kept', 'model_version kept']);
    expect(deps.logger.lines.some((l) => l.startsWith('warn') && l.includes('going version 1 belongs to a model that no longer exists'))).toBe(true);
  });

  it('makes keys independent of the server address when a namespace is set', async () => {
    const seed = (e: MlflowEmulator) => {
      e.addModel({ name: 'm' });
      e.addVersion({ name: 'm', source: 's' });
    };
    const [a, b] = [await emulator(seed), await emulator(seed)] as const;
    const keysOf = async (emu: MlflowEmulator, extra: Record<string, unknown> = {}) => {
      const { source, ctx } = connect(emu, extra);
      return (await collect(source.list(ctx))).map((i) => i.key).sort();
    };
    const named = { namespace: 'mlflow.example.com' };
    expect(await keysOf(a, named)).toEqual(await keysOf(b, named));
    expect(await keysOf(a, named)).toContain('mlflow://mlflow.example.com/models/m/versions/1');
    expect(await keysOf(a)).not.toEqual(await keysOf(b));
    expect((await keysOf(a))[0]).toContain(`mlflow://127.0.0.1:${new URL(a.url).port}/`);
  });

  it('reports progress of the registry read and stops when the signal aborts', async () => {
    const emu = await emulator((e) => seedSandbox(e));
    const calls: string[] = [];
    let ticks = 0;
    const progress: Progress = { start: (phase) => calls.push(`start ${phase}`), tick: (n = 1) => void (ticks += n), done: () => calls.push('done') };
    const { source, ctx } = connect(emu, { pageSize: 4, versionsPageSize: 4 });
    const items = await collect(source.list({ ...ctx, progress }));
    // Models and versions are listed side by side: one progress row counts both.
    expect(calls).toEqual(['start MLflow registered models and versions', 'done']);
    expect(ticks).toBe(items.length);

    const abort = new AbortController();
    let seenAtAbort = 0;
    emu.server.onRequest = (req) => {
      if (req.path !== `${API}/model-versions/search` || abort.signal.aborted) return;
      seenAtAbort = emu.server.requests.length;
      abort.abort();
    };
    await expect(collect(source.list({ ...ctx, signal: abort.signal }))).rejects.toBeDefined();
    // Only the request that was in flight when the signal fired reaches the server.
    expect(emu.server.requests.length).toBeLessThanOrEqual(seenAtAbort + 1);
  });
});
