import type { MlflowEmulator, NewDataset } from '../../connectors/sources/mlflow/emulator';
import type { InventoryItem, ModelVersionItem } from '../../src/inventory';
import { collect } from '../support/deps';
import { connect, emulator, recordingCtx, stopEmulators } from './mlflow-helpers';

const API = '/api/2.0/mlflow';
afterEach(stopEmulators);

const versions = (items: InventoryItem[]) => items.filter((i): i is ModelVersionItem => i.kind === 'model_version');
const searches = (emu: MlflowEmulator) => emu.server.requests.filter((r) => r.method === 'POST' && r.path === `${API}/runs/search`).map((r) => r.body as Record<string, unknown>);
const idsOf = (body: Record<string, unknown>) => /IN \((.*)\)$/.exec(String(body.filter))?.[1]?.split(', ').map((q) => q.slice(1, -1)) ?? [];

interface LoggedRun {
  experimentId: string;
  userId: string;
  runName: string;
  metrics: Record<string, number | number[]>;
  params: Record<string, string>;
  datasets: NewDataset[];
}

/** What a version's item must carry when its run is `run`, built from the seed alone. */
function expectedLineage(runId: string, run: LoggedRun) {
  return {
    runId,
    runName: run.runName,
    owner: run.userId,
    metrics: Object.fromEntries(Object.entries(run.metrics).map(([k, v]) => [k, Array.isArray(v) ? v.at(-1) : v])),
    params: run.params,
    datasets: run.datasets.map((d) => ({
      name: d.name,
      digest: expect.any(String),
      sourceType: d.sourceType,
      uri: (d.source as { uri: string }).uri,
      context: d.context,
    })),
  };
}

describe('mlflow source: batched lineage', () => {
  it('resolves versions spread over many experiments and runs to the lineage each run logged, in batches', async () => {
    const expected = new Map<string, ReturnType<typeof expectedLineage>>();
    const emu = await emulator((e) => {
      const runs: Array<{ id: string; run: LoggedRun }> = [];
      for (let r = 0; r < 23; r++) {
        const run: LoggedRun = {
          experimentId: String(r % 7), // "0" is MLflow's Default experiment
          userId: `user-${r % 4}`,
          runName: `run-${r}`,
          metrics: { auc: [0.5, 0.6 + r / 100], loss: r / 10 },
          params: { lr: String(r / 1000), depth: String(r % 5) },
          datasets: [{ name: `d${r}`, sourceType: 's3', source: { uri: `s3://data/${r}.parquet` }, context: r % 2 ? 'train' : 'eval' }],
        };
        runs.push({ id: e.addRun(run), run });
      }
      e.deleteExperiment('3'); // its runs are found only when deleted experiments are searched too
      for (let m = 0; m < 9; m++) {
        e.addModel({ name: `model-${m}` });
        for (let v = 0; v < 3; v++) {
          // Some runs back two versions (a re-registration), across models and pages.
          const { id, run } = runs[(m * 3 + v) % runs.length] as { id: string; run: LoggedRun };
          const n = e.addVersion({ name: `model-${m}`, source: `s3://models/${m}/${v}`, runId: id });
          expected.set(`model-${m}/${n}`, expectedLineage(id, run));
        }
      }
    });
    const { source, deps } = connect(emu, { versionsPageSize: 7, runsBatchSize: 5, pageSize: 3 });
    const { ctx, skipped } = recordingCtx(deps);
    const items = versions(await collect(source.list(ctx)));

    expect(items).toHaveLength(27);
    for (const item of items) expect([`${item.name}/${item.version}`, item]).toEqual([`${item.name}/${item.version}`, expect.objectContaining(expected.get(`${item.name}/${item.version}`))]);
    expect(skipped).toEqual([]);
    expect(deps.logger.lines.filter((l) => l.startsWith('warn'))).toEqual([]);

    const bodies = searches(emu);
    expect(bodies.every((b) => idsOf(b).length <= 5 && b.max_results === idsOf(b).length && b.run_view_type === 'ALL')).toBe(true);
    expect(bodies.every((b) => [...(b.experiment_ids as string[])].sort().join() === '0,1,2,3,4,5,6')).toBe(true);
    // Each run is asked for once, however many versions and pages name it.
    const asked = bodies.flatMap(idsOf);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked).toHaveLength(23);
    expect(emu.server.count('GET', `${API}/runs/get`)).toBe(0);
    expect(emu.server.count('POST', `${API}/experiments/search`)).toBe(3); // 7 experiments, 3 a page, listed once per read
  });

  it('reads a version whose run was deleted for good without lineage, with a warning, after runs/get confirms it', async () => {
    let gone = '';
    const emu = await emulator((e) => {
      e.addModel({ name: 'm' });
      e.addVersion({ name: 'm', source: 's', runId: e.addRun({ experimentId: '1', userId: 'alice', metrics: { auc: 0.9 } }) });
      gone = e.addRun({ experimentId: '1', userId: 'alice', metrics: { auc: 0.8 } });
      e.addVersion({ name: 'm', source: 's', runId: gone });
      e.deleteRun(gone);
    });
    const { source, deps } = connect(emu);
    const { ctx, skipped } = recordingCtx(deps);
    const [v1, v2] = versions(await collect(source.list(ctx))).sort((a, b) => a.version.localeCompare(b.version));

    expect(v1?.metrics).toEqual({ auc: 0.9 });
    expect(v2).toMatchObject({ runId: gone, metrics: {}, params: {}, datasets: [] });
    expect(v2?.runName).toBeUndefined();
    expect(skipped).toEqual([]);
    expect(deps.logger.lines.filter((l) => l.startsWith('warn'))).toEqual([expect.stringContaining(`run ${gone} of m version 2 no longer exists`)]);
    expect(emu.server.requests.filter((r) => r.path === `${API}/runs/get`).map((r) => r.query.get('run_id'))).toEqual([gone]);
  });

  it('splits more run ids than one batch over several runs/search calls of at most the batch size', async () => {
    const emu = await emulator((e) => {
      e.addModel({ name: 'm' });
      for (let i = 0; i < 10; i++) e.addVersion({ name: 'm', source: 's', runId: e.addRun({ experimentId: String(i % 2), userId: 'u', params: { i: String(i) } }) });
    });
    const { source, ctx } = connect(emu, { runsBatchSize: 3 });
    const items = versions(await collect(source.list(ctx)));

    expect(items.map((v) => v.params.i).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(searches(emu).map((b) => idsOf(b).length).sort()).toEqual([1, 3, 3, 3]);
  });

  it('reads a run id outside the safe alphabet with runs/get, and never writes it into a filter', async () => {
    const odd = ["x') OR ('1' = '1", 'run-with-dash'];
    const emu = await emulator((e) => {
      e.addModel({ name: 'm' });
      for (const runId of odd) e.addVersion({ name: 'm', source: 's', runId: e.addRun({ runId, experimentId: '1', userId: 'u', params: { id: runId } }) });
      e.addVersion({ name: 'm', source: 's', runId: e.addRun({ experimentId: '1', userId: 'u', params: { id: 'hex' } }) });
    });
    const { source, ctx } = connect(emu);
    const items = versions(await collect(source.list(ctx)));

    expect(items.map((v) => v.params.id).sort()).toEqual(['hex', ...odd].sort());
    expect(emu.server.requests.filter((r) => r.path === `${API}/runs/get`).map((r) => r.query.get('run_id')).sort()).toEqual([...odd].sort());
    for (const body of searches(emu)) expect(String(body.filter)).toMatch(/^attributes\.run_id IN \('[A-Za-z0-9]+'(, '[A-Za-z0-9]+')*\)$/);
  });

  it('keeps the lineage of a run that the search missed but runs/get finds (an experiment the listing did not show)', async () => {
    let hidden = '';
    const emu = await emulator((e) => {
      e.addModel({ name: 'm' });
      e.addVersion({ name: 'm', source: 's', runId: e.addRun({ experimentId: '1', userId: 'u', params: { p: 'seen' } }) });
      hidden = e.addRun({ experimentId: '2', userId: 'u', params: { p: 'hidden' } });
      e.addVersion({ name: 'm', source: 's', runId: hidden });
    });
    emu.server.faults.inject({ path: `${API}/experiments/search`, status: 200, body: { experiments: [{ experiment_id: '1', name: 'one' }] } });
    const { source, deps } = connect(emu);
    const { ctx } = recordingCtx(deps);
    const items = versions(await collect(source.list(ctx)));

    expect(items.map((v) => v.params.p).sort()).toEqual(['hidden', 'seen']);
    expect(emu.server.requests.filter((r) => r.path === `${API}/runs/get`).map((r) => r.query.get('run_id'))).toEqual([hidden]);
    expect(deps.logger.lines.filter((l) => l.startsWith('warn'))).toEqual([]);
  });

  it('follows runs/search page tokens when the server answers fewer runs than asked for', async () => {
    const emu = await emulator((e) => {
      e.addModel({ name: 'm' });
      for (let i = 0; i < 3; i++) e.addVersion({ name: 'm', source: 's', runId: e.addRun({ experimentId: '1', userId: 'u', params: { i: String(i) } }) });
    });
    // A server that caps max_results at 1: its real first page, token and all, answers the connector's first search.
    const capped = await fetch(`${emu.url}${API}/runs/search`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ experiment_ids: ['1'], max_results: 1 }) });
    emu.server.faults.inject({ path: `${API}/runs/search`, status: 200, body: await capped.json() });
    const { source, ctx } = connect(emu);
    const items = versions(await collect(source.list(ctx)));

    expect(items.map((v) => v.params.i).sort()).toEqual(['0', '1', '2']);
    const bodies = searches(emu).slice(1);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.page_token).toEqual(expect.any(String));
    expect(emu.server.count('GET', `${API}/runs/get`)).toBe(0);
  });
});
