import type { MlflowEmulator } from '../../connectors/sources/mlflow/emulator';
import { MalformedResponseError } from '../../src/errors';
import type { InventoryItem } from '../../src/inventory';
import { collect } from '../support/deps';
import { connect, emulator, failure, recordingCtx, stopEmulators } from './mlflow-helpers';

const API = '/api/2.0/mlflow';
afterEach(stopEmulators);

const names = (items: InventoryItem[]) => items.map((i) => `${i.kind === 'model' ? 'model' : 'version'} ${i.name}${i.kind === 'model_version' ? `/${i.version}` : ''}`).sort();

/** The emulator's own answer to a GET, so a test can break one record of it and replay it as a fault. */
async function answer(emu: MlflowEmulator, path: string): Promise<Record<string, Array<Record<string, unknown>>>> {
  return (await (await fetch(`${emu.url}${API}/${path}`)).json()) as Record<string, Array<Record<string, unknown>>>;
}

const seed = (e: MlflowEmulator) => {
  for (const name of ['a', 'b']) {
    e.addModel({ name, tags: { owner: 'alice' } });
    for (let i = 0; i < 2; i++) e.addVersion({ name, source: 's', runId: e.addRun({ experimentId: '1', userId: 'u', params: { i: String(i) } }) });
  }
};

describe('mlflow source: one bad record is skipped and reported, not fatal', () => {
  it('skips a malformed version, with its key when it has one, and reads the rest', async () => {
    const emu = await emulator(seed);
    const page = await answer(emu, 'model-versions/search');
    const [first, second] = page.model_versions as [Record<string, unknown>, Record<string, unknown>];
    first.tags = 'not a list';
    delete second.version;
    emu.server.faults.inject({ path: `${API}/model-versions/search`, status: 200, body: page });
    const { source, deps } = connect(emu);
    const { ctx, skipped } = recordingCtx(deps);
    const items = await collect(source.list(ctx));

    expect(names(items)).toEqual(['model a', 'model b', 'version b/1', 'version b/2']);
    expect(skipped.map((s) => [s.item, s.key])).toEqual([
      ['a version 2', `mlflow://${new URL(emu.url).host}/models/a/versions/2`],
      ['a version ?', undefined],
    ]);
    for (const s of skipped) expect(s.error).toBeInstanceOf(MalformedResponseError);
    expect((skipped[0]?.error as Error).message).toMatch(/source mlflow-test: item a version 2: field model_versions\[0\]\.tags/);
    expect((skipped[1]?.error as Error).message).toContain('field model_versions[1].version');
  });

  it('skips the versions of a run MLflow answered malformed, and reads the others with their lineage', async () => {
    const emu = await emulator(seed);
    const search = await fetch(`${emu.url}${API}/runs/search`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ experiment_ids: ['1'] }) });
    const runs = (await search.json()) as { runs: Array<{ info: { run_id: string }; data: Record<string, unknown> }> };
    const broken = runs.runs[0] as { info: { run_id: string }; data: Record<string, unknown> };
    broken.data.params = { i: 'not a list' };
    emu.server.faults.inject({ path: `${API}/runs/search`, status: 200, body: runs });
    const { source, deps } = connect(emu);
    const { ctx, skipped } = recordingCtx(deps);
    const items = await collect(source.list(ctx));

    expect(items.filter((i) => i.kind === 'model_version')).toHaveLength(3);
    expect(items.every((i) => i.kind !== 'model_version' || i.runId !== broken.info.run_id)).toBe(true);
    expect(items.every((i) => i.kind !== 'model_version' || i.params.i !== undefined)).toBe(true);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.key).toMatch(/\/versions\/\d$/);
    expect((skipped[0]?.error as Error).message).toContain(`item run ${broken.info.run_id}`);
    expect((skipped[0]?.error as Error).message).toMatch(/field runs\[0\]\.data\.params/);
  });

  it('skips a malformed registered model and every version of it, each with its key', async () => {
    const emu = await emulator(seed);
    const page = await answer(emu, 'registered-models/search');
    (page.registered_models as [Record<string, unknown>])[0].aliases = [{ alias: 'champion' }];
    emu.server.faults.inject({ path: `${API}/registered-models/search`, status: 200, body: page });
    const { source, deps } = connect(emu);
    const { ctx, skipped } = recordingCtx(deps);
    const items = await collect(source.list(ctx));

    const ns = new URL(emu.url).host;
    expect(names(items)).toEqual(['model b', 'version b/1', 'version b/2']);
    expect(skipped.map((s) => s.key).sort()).toEqual([`mlflow://${ns}/models/a`, `mlflow://${ns}/models/a/versions/1`, `mlflow://${ns}/models/a/versions/2`]);
    expect(emu.server.count('GET', `${API}/registered-models/get`)).toBe(0);
  });

  it('still fails the whole read on a malformed page envelope, naming the field', async () => {
    const emu = await emulator(seed);
    emu.server.faults.inject({ path: `${API}/model-versions/search`, status: 200, body: { model_versions: { name: 'a' } } });
    const { source, deps } = connect(emu);
    const { ctx, skipped } = recordingCtx(deps);
    const err = await failure(collect(source.list(ctx)));

    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(err.message).toMatch(/mlflow-test: item \(model versions page\): field model_versions:/);
    expect(skipped).toEqual([]);
  });
});
