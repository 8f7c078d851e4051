import type { MlflowEmulator } from '../../connectors/sources/mlflow/emulator';
import { emulator, stopEmulators } from './mlflow-helpers';

const API = '/api/2.0/mlflow';
afterEach(stopEmulators);

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

async function call(emu: MlflowEmulator, method: string, path: string, opts: { query?: Record<string, string | string[]>; json?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL(`${emu.url}${path.startsWith('/') ? path : `${API}/${path}`}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) for (const x of Array.isArray(v) ? v : [v]) url.searchParams.append(k, x);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.json !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.raw });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = {};
  }
  return { status: res.status, headers: res.headers, body, text };
}

const models = (n: number) => (e: MlflowEmulator) => {
  for (let i = 1; i <= n; i++) e.addModel({ name: `model-${String(i).padStart(3, '0')}` });
};

describe('mlflow emulator: wire rules from a real 2.9 server', () => {
  it('answers POST on the search endpoints with 405', async () => {
    const emu = await emulator(models(1));
    for (const path of ['registered-models/search', 'model-versions/search']) {
      const res = await call(emu, 'POST', path, { json: {} });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
    }
  });

  it('answers {} for empty results, and omits the token on the last page', async () => {
    const emu = await emulator((e) => e.addModel({ name: 'lonely' }));
    expect((await call(emu, 'GET', 'model-versions/search')).text).toBe('{}');
    expect((await call(emu, 'GET', 'registered-models/search', { query: { filter: "name = 'nobody'" } })).text).toBe('{}');
    expect((await call(emu, 'GET', 'registered-models/get-latest-versions', { query: { name: 'lonely' } })).text).toBe('{}');
    const one = await call(emu, 'GET', 'registered-models/search');
    expect(one.body.registered_models).toHaveLength(1);
    expect(one.body).not.toHaveProperty('next_page_token');
  });

  it('honours max_results exactly, pages with opaque tokens, and enforces the limits', async () => {
    const emu = await emulator(models(101));
    const first = await call(emu, 'GET', 'registered-models/search');
    expect(first.body.registered_models).toHaveLength(100);
    const token = String(first.body.next_page_token);
    expect(token).not.toMatch(/^\d+$/);
    const rest = await call(emu, 'GET', 'registered-models/search', { query: { page_token: token } });
    expect((rest.body.registered_models as Array<{ name: string }>).map((m) => m.name)).toEqual(['model-101']);
    expect(rest.body).not.toHaveProperty('next_page_token');

    const three = await call(emu, 'GET', 'registered-models/search', { query: { max_results: '3' } });
    expect(three.body.registered_models).toHaveLength(3);
    for (const [path, limit] of [['registered-models/search', 1000], ['model-versions/search', 200000]] as const) {
      expect((await call(emu, 'GET', path, { query: { max_results: String(limit) } })).status).toBe(200);
      const over = await call(emu, 'GET', path, { query: { max_results: String(limit + 1) } });
      expect(over.status).toBe(400);
      expect(over.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect((await call(emu, 'GET', 'registered-models/search', { query: { page_token: 'not-a-token' } })).status).toBe(400);
  });

  it('requires Content-Type: application/json on writes', async () => {
    const emu = await emulator(models(1));
    const plain = await call(emu, 'POST', 'registered-models/create', { raw: JSON.stringify({ name: 'x' }), headers: { 'Content-Type': 'text/plain' } });
    expect(plain.status).toBe(400);
    expect(plain.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const bare = await call(emu, 'DELETE', 'registered-models/delete', { query: { name: 'model-001' } });
    expect(bare.status).toBe(400);
    expect((await call(emu, 'POST', 'registered-models/create', { json: { name: 'x' } })).status).toBe(200);
    expect((await call(emu, 'DELETE', 'registered-models/delete', { json: { name: 'model-001' } })).status).toBe(200);
  });

  it('filters models by name (=, LIKE, ILIKE) and tags, rejecting unknown keys', async () => {
    const emu = await emulator((e) => {
      e.addModel({ name: 'fraud-detector', tags: { team: 'risk' } });
      e.addModel({ name: 'fraud-rules', tags: { team: 'ops' } });
      e.addModel({ name: 'churn', tags: { team: 'risk' } });
    });
    const names = async (filter: string) => {
      const res = await call(emu, 'GET', 'registered-models/search', { query: { filter } });
      return ((res.body.registered_models ?? []) as Array<{ name: string }>).map((m) => m.name);
    };
    expect(await names("name LIKE 'fraud%'")).toEqual(['fraud-detector', 'fraud-rules']);
    expect(await names("name LIKE 'FRAUD%'")).toEqual([]);
    expect(await names("name ILIKE '%DETECT%'")).toEqual(['fraud-detector']);
    expect(await names("tags.team = 'risk'")).toEqual(['churn', 'fraud-detector']);
    expect(await names("name = 'churn' AND tags.team = 'risk'")).toEqual(['churn']);
    const bad = await call(emu, 'GET', 'registered-models/search', { query: { filter: "owner = 'x'" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('filters versions by name, run_id (= and IN), tags and version_number, and rejects current_stage', async () => {
    const runs: string[] = [];
    const emu = await emulator((e) => {
      e.addModel({ name: 'a' });
      e.addModel({ name: 'b' });
      for (const name of ['a', 'b']) {
        for (let i = 0; i < 2; i++) {
          const runId = e.addRun({ experimentId: '1', userId: 'u' });
          runs.push(runId);
          e.addVersion({ name, source: 's', runId, tags: { flavor: i === 0 ? 'sklearn' : 'torch' }, stage: 'Production' });
        }
      }
    });
    const found = async (filter: string) => {
      const res = await call(emu, 'GET', 'model-versions/search', { query: { filter } });
      return ((res.body.model_versions ?? []) as Array<{ name: string; version: string }>).map((v) => `${v.name}/${v.version}`);
    };
    expect(await found("name = 'a'")).toEqual(['a/2', 'a/1']);
    expect(await found(`run_id = '${runs[2]}'`)).toEqual(['b/1']);
    expect(await found(`run_id IN ('${runs[0]}', '${runs[3]}')`)).toEqual(['a/1', 'b/2']);
    expect(await found("tags.flavor = 'torch'")).toEqual(['a/2', 'b/2']);
    expect(await found('version_number >= 2')).toEqual(['a/2', 'b/2']);
    const stage = await call(emu, 'GET', 'model-versions/search', { query: { filter: "current_stage = 'Production'" } });
    expect(stage.status).toBe(400);
    expect(String(stage.body.message)).toContain('Invalid attribute key');
  });

  it('answers unknown models, versions, aliases and runs with 404 RESOURCE_DOES_NOT_EXIST', async () => {
    const emu = await emulator((e) => {
      e.addModel({ name: 'm' });
      e.addVersion({ name: 'm', source: 's' });
    });
    for (const [path, query] of [
      ['registered-models/get', { name: 'nope' }],
      ['model-versions/get', { name: 'm', version: '9' }],
      ['registered-models/alias', { name: 'm', alias: 'champion' }],
      ['runs/get', { run_id: 'f'.repeat(32) }],
    ] as const) {
      const res = await call(emu, 'GET', path, { query });
      expect([path, res.status, res.body.error_code]).toEqual([path, 404, 'RESOURCE_DOES_NOT_EXIST']);
    }
  });
});

describe('mlflow emulator: registry behaviour', () => {
  it('reports aliases on get but not on search, with string versions, numeric timestamps and run_id ""', async () => {
    const emu = await emulator((e) => {
      e.addModel({ name: 'm' });
      e.addVersion({ name: 'm', source: 's' });
      e.setAlias('m', 'champion', '1');
    });
    const searched = ((await call(emu, 'GET', 'model-versions/search')).body.model_versions as Array<Record<string, unknown>>)[0];
    expect(searched).not.toHaveProperty('aliases');
    expect(searched).toMatchObject({ version: '1', run_id: '', creation_timestamp: expect.any(Number) });
    const got = await call(emu, 'GET', 'model-versions/get', { query: { name: 'm', version: '1' } });
    expect(got.body.model_version).toMatchObject({ aliases: ['champion'] });
    const byAlias = await call(emu, 'GET', 'registered-models/alias', { query: { name: 'm', alias: 'champion' } });
    expect(byAlias.body.model_version).toMatchObject({ version: '1' });
    const model = await call(emu, 'GET', 'registered-models/get', { query: { name: 'm' } });
    expect(model.body.registered_model).toMatchObject({ aliases: [{ alias: 'champion', version: '1' }] });
  });

  it('runs/get answers the latest value per metric, params, and dataset inputs with their context', async () => {
    let runId = '';
    const emu = await emulator((e) => {
      runId = e.addRun({ experimentId: '3', userId: '', runName: 'r', metrics: { loss: [0.9, 0.5, 0.7] }, params: { lr: '0.1' }, tags: { 'mlflow.user': 'carol' }, datasets: [{ name: 'd', source: { uri: 's3://x' }, context: 'train' }] });
    });
    const { run } = (await call(emu, 'GET', 'runs/get', { query: { run_id: runId } })).body as { run: Record<string, Record<string, unknown>> };
    expect(run.info).toMatchObject({ run_id: runId, user_id: '', run_name: 'r', experiment_id: '3' });
    expect(run.data?.metrics).toEqual([expect.objectContaining({ key: 'loss', value: 0.7 })]);
    expect(run.data?.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(run.data?.tags).toEqual(expect.arrayContaining([{ key: 'mlflow.user', value: 'carol' }]));
    const [input] = run.inputs?.dataset_inputs as Array<{ tags: unknown; dataset: { source: string } }>;
    expect(input?.tags).toEqual([{ key: 'mlflow.data.context', value: 'train' }]);
    expect(JSON.parse(input?.dataset.source ?? '')).toEqual({ uri: 's3://x' });
    emu.deleteRun(runId);
    expect((await call(emu, 'GET', 'runs/get', { query: { run_id: runId } })).status).toBe(404);
  });

  it('writes over HTTP: create, alias, transition (archiving), latest versions, delete', async () => {
    const emu = await emulator(() => undefined);
    expect((await call(emu, 'POST', 'registered-models/create', { json: { name: 'm', tags: [{ key: 'team', value: 'risk' }] } })).status).toBe(200);
    for (const source of ['s3://1', 's3://2']) {
      const res = await call(emu, 'POST', 'model-versions/create', { json: { name: 'm', source } });
      expect(res.body.model_version).toMatchObject({ current_stage: 'None', status: 'READY' });
    }
    const transition = (version: string, stage: string, archive?: boolean) =>
      call(emu, 'POST', 'model-versions/transition-stage', { json: { name: 'm', version, stage, ...(archive === undefined ? {} : { archive_existing_versions: archive }) } });
    expect((await transition('1', 'Production')).status).toBe(400);
    expect((await transition('1', 'production', false)).body.model_version).toMatchObject({ current_stage: 'Production' });
    await transition('2', 'Production', true);
    const latest = await call(emu, 'POST', 'registered-models/get-latest-versions', { json: { name: 'm', stages: ['Production', 'Archived'] } });
    expect((latest.body.model_versions as Array<{ version: string; current_stage: string }>).map((v) => `${v.current_stage}:${v.version}`)).toEqual(['Production:2', 'Archived:1']);

    expect((await call(emu, 'POST', 'registered-models/alias', { json: { name: 'm', alias: 'champion', version: '2' } })).status).toBe(200);
    expect((await call(emu, 'POST', 'registered-models/alias', { json: { name: 'm', alias: 'latest', version: '2' } })).status).toBe(400);
    expect((await call(emu, 'DELETE', 'model-versions/delete', { json: { name: 'm', version: '2' } })).status).toBe(200);
    expect((await call(emu, 'GET', 'registered-models/alias', { query: { name: 'm', alias: 'champion' } })).status).toBe(404);
    expect((await call(emu, 'GET', 'registered-models/get-latest-versions', { query: { name: 'm', stages: 'Archived' } })).body.model_versions).toHaveLength(1);
  });

  it('orders models by name unless asked otherwise, and versions by name then newest first', async () => {
    const emu = await emulator((e) => {
      for (const name of ['b', 'a', 'c']) e.addModel({ name });
      e.addVersion({ name: 'c', source: 's' });
      e.addVersion({ name: 'a', source: 's' });
      e.addVersion({ name: 'a', source: 's' });
    });
    const modelNames = async (order_by?: string) =>
      ((await call(emu, 'GET', 'registered-models/search', { query: order_by ? { order_by } : {} })).body.registered_models as Array<{ name: string }>).map((m) => m.name);
    expect(await modelNames()).toEqual(['a', 'b', 'c']);
    expect(await modelNames('last_updated_timestamp DESC')).toEqual(['a', 'c', 'b']);
    const versions = (await call(emu, 'GET', 'model-versions/search')).body.model_versions as Array<{ name: string; version: string }>;
    expect(versions.map((v) => `${v.name}/${v.version}`)).toEqual(['a/2', 'a/1', 'c/1']);
  });

  it('challenges missing credentials with 401 UNAUTHENTICATED (basic auth adds WWW-Authenticate)', async () => {
    const basic = await emulator(models(1), { auth: { username: 'u', password: 'p4ss' } });
    const denied = await call(basic, 'GET', 'registered-models/search');
    expect([denied.status, denied.body.error_code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Basic/);
    const allowed = await call(basic, 'GET', 'registered-models/search', { headers: { Authorization: `Basic ${Buffer.from('u:p4ss').toString('base64')}` } });
    expect(allowed.status).toBe(200);
    expect((await call(basic, 'GET', '/health')).text).toBe('OK');

    const bearer = await emulator(models(1), { auth: { token: 'tkn-1234' } });
    const wrong = await call(bearer, 'GET', 'registered-models/search', { headers: { Authorization: 'Bearer other' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBeNull();
    expect((await call(bearer, 'GET', 'registered-models/search', { headers: { Authorization: 'Bearer tkn-1234' } })).status).toBe(200);
  });
});
