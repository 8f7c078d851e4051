import type { MlflowEmulator } from '../../connectors/sources/mlflow/emulator';
import { emulator, stopEmulators } from './mlflow-helpers';

const API = '/api/2.0/mlflow';
afterEach(stopEmulators);

interface Answer {
  status: number;
  allow: string | null;
  body: Record<string, unknown>;
}

async function call(emu: MlflowEmulator, method: 'GET' | 'POST', path: string, json?: unknown, query: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(`${emu.url}${API}/${path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
  const res = await fetch(url, { method, headers: json === undefined ? {} : { 'Content-Type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { html: text };
  }
  return { status: res.status, allow: res.headers.get('allow'), body };
}

type WireRun = { info: Record<string, unknown>; data: { metrics?: Array<{ key: string; value: number }> } };
const runsOf = (a: Answer) => (a.body.runs ?? []) as WireRun[];
const idsOf = (a: Answer) => runsOf(a).map((r) => r.info.run_id as string);
const experimentIdsOf = (a: Answer) => ((a.body.experiments ?? []) as Array<{ experiment_id: string }>).map((e) => e.experiment_id);

describe('mlflow emulator: runs/search and experiments/search', () => {
  let ids: string[] = [];
  const seed = (e: MlflowEmulator) => {
    ids = [];
    e.addExperiment({ experimentId: '0', name: 'Default' });
    for (let i = 0; i < 6; i++) {
      ids.push(e.addRun({ experimentId: String(1 + (i % 3)), userId: i % 2 ? 'alice' : 'bob', runName: `r${i}`, metrics: { auc: [0.1, i / 10] }, params: { depth: String(i) } }));
    }
    e.deleteExperiment('3');
  };

  it('are POST only: GET answers 405 as Flask does', async () => {
    const emu = await emulator(seed);
    for (const path of ['runs/search', 'experiments/search']) {
      const res = await call(emu, 'GET', path);
      expect([path, res.status, res.allow]).toEqual([path, 405, 'POST']);
      expect(String(res.body.html)).toContain('Method Not Allowed');
    }
  });

  it('runs/search requires experiment_ids and caps max_results at 50,000', async () => {
    const emu = await emulator(seed);
    for (const body of [{}, { experiment_ids: [] }]) {
      const res = await call(emu, 'POST', 'runs/search', body);
      expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(String(res.body.message)).toContain('experiment_ids');
    }
    expect((await call(emu, 'POST', 'runs/search', { experiment_ids: ['1'], max_results: 50_001 })).status).toBe(400);
    expect((await call(emu, 'POST', 'runs/search', { experiment_ids: ['1'], max_results: 50_000 })).status).toBe(200);
    expect((await call(emu, 'POST', 'runs/search', { experiment_ids: ['1'], filter: 'attributes.owner = "x"' })).status).toBe(400);
    expect((await call(emu, 'POST', 'runs/search', { experiment_ids: ['1'], run_view_type: 'SOME' })).status).toBe(400);
  });

  it('finds runs by attributes.run_id IN across the experiments asked for, deleted ones with run_view_type ALL', async () => {
    const emu = await emulator(seed);
    const filter = `attributes.run_id IN (${ids.map((id) => `'${id}'`).join(', ')})`;
    const all = await call(emu, 'POST', 'runs/search', { experiment_ids: ['1', '2', '3'], filter, run_view_type: 'ALL' });
    expect(idsOf(all).sort()).toEqual([...ids].sort());
    const active = await call(emu, 'POST', 'runs/search', { experiment_ids: ['1', '2', '3'], filter });
    expect(idsOf(active).sort()).toEqual(ids.filter((_, i) => i % 3 !== 2).sort());
    const deleted = await call(emu, 'POST', 'runs/search', { experiment_ids: ['1', '2', '3'], filter, run_view_type: 'DELETED_ONLY' });
    expect(runsOf(deleted).map((r) => r.info.lifecycle_stage)).toEqual(['deleted', 'deleted']);
    const oneExperiment = await call(emu, 'POST', 'runs/search', { experiment_ids: ['2'], filter, run_view_type: 'ALL' });
    expect(idsOf(oneExperiment).sort()).toEqual([ids[1], ids[4]].sort());
    const pinned = await call(emu, 'POST', 'runs/search', { experiment_ids: ['1'], filter: `run_id = '${ids[3]}'` });
    expect(idsOf(pinned)).toEqual([ids[3]]);
  });

  it('filters on metrics (latest value), params, tags and attributes, newest run first', async () => {
    const emu = await emulator(seed);
    const found = async (filter: string) => idsOf(await call(emu, 'POST', 'runs/search', { experiment_ids: ['1', '2', '3'], filter, run_view_type: 'ALL' }));
    expect(await found('metrics.auc > 0.35')).toEqual([ids[5], ids[4]]);
    expect(await found("params.depth = '2'")).toEqual([ids[2]]);
    expect(await found("tags.mlflow.runName = 'r1' AND attributes.user_id = 'alice'")).toEqual([ids[1]]);
    expect(await found("attributes.run_name LIKE 'r%' AND attributes.status = 'FINISHED'")).toEqual([...ids].reverse());
  });

  it('answers the same latest metric value as runs/get, pages with opaque tokens, and marks a RUNNING run', async () => {
    const emu = await emulator((e) => {
      seed(e);
      ids.push(e.addRun({ experimentId: '1', userId: 'u', status: 'RUNNING', metrics: { loss: [0.9, 0.5, 0.7] } }));
    });
    const running = ids.at(-1) as string;
    const searched = runsOf(await call(emu, 'POST', 'runs/search', { experiment_ids: ['1'], filter: `run_id = '${running}'` }))[0];
    const got = (await call(emu, 'GET', 'runs/get', undefined, { run_id: running })).body.run as WireRun;
    expect(searched?.data.metrics).toEqual(got.data.metrics);
    expect(got.data.metrics?.map((m) => m.value)).toEqual([0.7]);
    expect(got.info).toMatchObject({ status: 'RUNNING', lifecycle_stage: 'active' });
    expect(got.info).not.toHaveProperty('end_time');

    const first = await call(emu, 'POST', 'runs/search', { experiment_ids: ['1', '2', '3'], run_view_type: 'ALL', max_results: 4 });
    expect(idsOf(first)).toHaveLength(4);
    expect(String(first.body.next_page_token)).not.toMatch(/^\d+$/);
    const rest = await call(emu, 'POST', 'runs/search', { experiment_ids: ['1', '2', '3'], run_view_type: 'ALL', max_results: 4, page_token: first.body.next_page_token });
    expect([...idsOf(first), ...idsOf(rest)].sort()).toEqual([...ids].sort());
    expect(rest.body).not.toHaveProperty('next_page_token');
    expect((await call(emu, 'POST', 'runs/search', { experiment_ids: ['1'], page_token: 'nope' })).status).toBe(400);
  });

  it('experiments/search lists experiments by view type, newest first, with page tokens and limits', async () => {
    const emu = await emulator(seed);
    const active = await call(emu, 'POST', 'experiments/search', {});
    expect(experimentIdsOf(active)).toEqual(['2', '1', '0']);
    expect((active.body.experiments as Array<{ name: string }>).map((e) => e.name)).toEqual(['experiment-2', 'experiment-1', 'Default']);
    expect(experimentIdsOf(await call(emu, 'POST', 'experiments/search', { view_type: 'DELETED_ONLY' }))).toEqual(['3']);
    const first = await call(emu, 'POST', 'experiments/search', { view_type: 'ALL', max_results: 3 });
    const rest = await call(emu, 'POST', 'experiments/search', { view_type: 'ALL', max_results: 3, page_token: first.body.next_page_token });
    expect([...experimentIdsOf(first), ...experimentIdsOf(rest)]).toEqual(['3', '2', '1', '0']);
    expect(experimentIdsOf(await call(emu, 'POST', 'experiments/search', { filter: "name LIKE 'experiment-%'", order_by: ['experiment_id ASC'] }))).toEqual(['1', '2']);
    expect((await call(emu, 'POST', 'experiments/search', { max_results: 50_001 })).status).toBe(400);
  });
});
