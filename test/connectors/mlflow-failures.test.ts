import type { MlflowEmulator } from '../../connectors/sources/mlflow/emulator';
import { mlflowSource } from '../../connectors/sources/mlflow';
import { AuthError, ConnectorError, MalformedResponseError } from '../../src/errors';
import { collect, testDeps } from '../support/deps';
import { connect, emulator, failure, stopEmulators } from './mlflow-helpers';

const API = '/api/2.0/mlflow';
const TOKEN = 'tok-3b9f1c0e-secret';
const PASSWORD = 'hunter2-but-longer';
afterEach(stopEmulators);

const small = (e: MlflowEmulator) => {
  e.addModel({ name: 'm', tags: { owner: 'alice' } });
  e.addVersion({ name: 'm', source: 's3://b/1', runId: e.addRun({ experimentId: '1', userId: 'alice', metrics: { auc: 0.9 } }) });
};

describe('mlflow source: credentials', () => {
  it('a rejected bearer token is an AuthError naming the source and what to set, never the token', async () => {
    const emu = await emulator(small, { auth: { token: 'the-real-token' } });
    const { source, ctx, deps } = connect(emu, { auth: { token: TOKEN } });
    const err = await failure(collect(source.list(ctx)));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain('mlflow-test');
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain('auth.token');
    expect(err.message).not.toContain(TOKEN);
    expect(deps.logger.lines.join('\n')).not.toContain(TOKEN);
  });

  it('rejected basic-auth credentials name the user/password settings, never the password', async () => {
    const emu = await emulator(small, { auth: { username: 'svc', password: 'right-password' } });
    const { source, ctx, deps } = connect(emu, { auth: { username: 'svc', password: PASSWORD } });
    const err = await failure(collect(source.list(ctx)));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain('mlflow-test');
    expect(err.message).toContain('auth.username/auth.password');
    expect(err.message).not.toContain(PASSWORD);
    expect(err.message).not.toContain(Buffer.from(`svc:${PASSWORD}`).toString('base64'));
    expect(deps.logger.lines.join('\n')).not.toContain(PASSWORD);
  });

  it('check() explains missing credentials, and a 403 on runs names the permission to grant', async () => {
    const emu = await emulator(small, { auth: { token: TOKEN } });
    const anonymous = connect(emu);
    expect((await anonymous.source.check(anonymous.ctx)).find((c) => !c.ok)).toMatchObject({ check: 'credentials accepted', hint: expect.stringContaining('requires credentials') });

    const { source, ctx } = connect(emu, { auth: { token: TOKEN } });
    emu.server.faults.inject({ method: 'POST', path: `${API}/runs/search`, status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'no READ on experiment 1' } });
    const checks = await source.check(ctx);
    expect(checks.filter((c) => c.ok).map((c) => c.check)).toEqual([
      expect.stringContaining('reachable'),
      'credentials accepted',
      'search model versions',
      'search experiments (deleted ones included)',
    ]);
    expect(checks.find((c) => !c.ok)).toMatchObject({ check: 'read runs (metrics, params, datasets)', hint: expect.stringContaining('READ') });
    expect(JSON.stringify(checks)).not.toContain(TOKEN);
  });

  it('check() exercises experiments/search and runs/search, with a fix for a server or proxy that refuses them', async () => {
    const emu = await emulator(small);
    const { source, ctx } = connect(emu);
    const healthy = await source.check(ctx);
    expect(healthy.map((c) => [c.check, c.ok])).toEqual([
      [expect.stringContaining('reachable'), true],
      ['credentials accepted', true],
      ['search model versions', true],
      ['search experiments (deleted ones included)', true],
      ['read runs (metrics, params, datasets)', true],
    ]);
    expect(emu.server.count('POST', `${API}/experiments/search`)).toBe(1);
    expect(emu.server.count('POST', `${API}/runs/search`)).toBe(1);

    emu.server.faults.inject({ path: `${API}/experiments/search`, status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND', message: 'no such endpoint' } });
    const old = (await source.check(ctx)).find((c) => !c.ok);
    expect(old).toMatchObject({ check: 'search experiments (deleted ones included)', hint: expect.stringContaining('MLflow 1.28') });

    emu.server.faults.inject({ path: `${API}/runs/search`, status: 405, raw: '<html>405</html>', contentType: 'text/html' });
    const proxied = (await source.check(ctx)).find((c) => !c.ok);
    expect(proxied).toMatchObject({ check: 'read runs (metrics, params, datasets)', hint: expect.stringContaining('must be let through') });
  });

  it('check() tells an unreachable server and a non-MLflow answer apart', async () => {
    const down = await emulator(small);
    const { source: toDown, ctx } = connect(down, {}, 0);
    await down.stop();
    const [reach] = await toDown.check(ctx);
    expect(reach).toMatchObject({ ok: false, hint: expect.stringContaining('/health') });

    const proxy = await emulator(small);
    proxy.server.faults.inject({ path: `${API}/registered-models/search`, status: 200, raw: '<html>Sign in</html>', contentType: 'text/html' });
    const { source: toProxy } = connect(proxy);
    const [notMlflow] = await toProxy.check(ctx);
    expect(notMlflow).toMatchObject({ ok: false, hint: expect.stringContaining('tracking URI') });
  });

  it('never logs the bearer token, even across retries and errors', async () => {
    const emu = await emulator(small, { auth: { token: TOKEN } });
    emu.server.faults.inject({ path: `${API}/model-versions/search`, status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' } });
    const { source, ctx, deps } = connect(emu, { auth: { token: TOKEN } });
    await collect(source.list(ctx));
    // Every attempt fails (a 500 is retried, runs/search being a read), so the error surfaces.
    emu.server.faults.inject({ path: `${API}/runs/search`, status: 500, times: 20, body: { error_code: 'INTERNAL_ERROR', message: `echo Bearer ${TOKEN}` } });
    const err = await failure(collect(source.list(ctx)));
    expect(err.message).not.toContain(TOKEN);
    expect(deps.logger.lines.length).toBeGreaterThan(0);
    expect(deps.logger.lines.join('\n')).not.toContain(TOKEN);
  });
});

describe('mlflow source: malformed responses', () => {
  it('a version without `version` names the source, the item and the field', async () => {
    const emu = await emulator(small);
    emu.server.faults.inject({
      path: `${API}/model-versions/search`,
      status: 200,
      body: { model_versions: [{ name: 'm', version: '1', status: 'READY' }, { name: 'churn', status: 'READY' }] },
    });
    const { source, ctx } = connect(emu);
    const err = await failure(collect(source.list(ctx)));
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(err.message).toContain('mlflow-test');
    expect(err.message).toContain('churn version ?');
    expect(err.message).toContain('model_versions[1].version');
  });

  it('`registered_models` that is not a list, and a run without an id, fail the read and are named', async () => {
    const emu = await emulator(small);
    emu.server.faults.inject({ path: `${API}/registered-models/search`, status: 200, body: { registered_models: { name: 'm' } } });
    const { source, ctx } = connect(emu);
    const listErr = await failure(collect(source.list(ctx)));
    expect(listErr).toBeInstanceOf(MalformedResponseError);
    expect(listErr.message).toMatch(/mlflow-test.*field registered_models:/);

    // A run that does not say which it is cannot be set aside for its versions alone.
    emu.server.faults.inject({ path: `${API}/runs/search`, status: 200, body: { runs: [{ info: { user_id: 'x' }, data: {} }] } });
    const runErr = await failure(collect(source.list(ctx)));
    expect(runErr).toBeInstanceOf(MalformedResponseError);
    expect(runErr.message).toContain('field runs[0].info.run_id');
    expect(runErr.message).toContain('item run #0 of the page');
  });

  it('a page token that comes back twice fails instead of looping', async () => {
    const emu = await emulator(small);
    emu.server.faults.inject({ path: `${API}/registered-models/search`, status: 200, times: 2, body: { registered_models: [{ name: 'm' }], next_page_token: 'same' } });
    const { source, ctx } = connect(emu);
    const err = await failure(collect(source.list(ctx)));
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.message).toContain('twice');
  });
});

describe('mlflow source: transient failures through the HTTP layer', () => {
  it('retries a 503 and a 429 with Retry-After, then reads everything', async () => {
    const emu = await emulator(small);
    emu.server.faults.inject({ path: `${API}/registered-models/search`, status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' } });
    emu.server.faults.inject({ path: `${API}/model-versions/search`, status: 429, headers: { 'Retry-After': '1' }, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' } });
    const { source, ctx } = connect(emu);
    const items = await collect(source.list(ctx));
    expect(items.map((i) => i.kind).sort()).toEqual(['model', 'model_version']);
    const statuses = (path: string) => emu.server.requests.filter((r) => r.path === `${API}/${path}`).map((r) => r.status);
    expect(statuses('registered-models/search')).toEqual([503, 200]);
    expect(statuses('model-versions/search')).toEqual([429, 200]);
  });
});

describe('mlflow config', () => {
  const parse = (extra: Record<string, unknown>) => mlflowSource.schema.safeParse({ name: 'm', type: 'mlflow', url: 'http://MLflow.Example.com:5000/', ...extra });

  it('fills defaults and keys items under the lower-cased host:port', () => {
    const parsed = parse({});
    expect(parsed.success && parsed.data).toMatchObject({
      ownerTag: 'owner',
      costCenterTag: 'cost_center',
      pageSize: 1000,
      versionsPageSize: 10_000,
      runsBatchSize: 1000,
      http: { concurrency: 4 },
    });
    if (!parsed.success) throw parsed.error;
    const source = mlflowSource.create(parsed.data, testDeps());
    expect(source.kindOfKey('mlflow://mlflow.example.com:5000/models/x')).toBe('model');
    expect(source.kindOfKey('mlflow://mlflow.example.com:5001/models/x')).toBeUndefined();
  });

  it('rejects a bad namespace, credentials in the URL, sizes above what MLflow allows and unknown keys', () => {
    expect(parse({ namespace: 'Has Spaces' }).success).toBe(false);
    expect(parse({ url: 'http://user:pw@mlflow:5000' }).success).toBe(false);
    expect(parse({ pageSize: 1001 }).success).toBe(false);
    expect(parse({ versionsPageSize: 200_001 }).success).toBe(false);
    expect(parse({ runsBatchSize: 50_001 }).success).toBe(false);
    expect(parse({ versionsPageSize: 200_000, runsBatchSize: 50_000 }).success).toBe(true);
    expect(parse({ filter: "name = 'x'" }).success).toBe(false);
    expect(parse({ auth: { token: 't', password: 'p' } }).success).toBe(false);
    expect(parse({ namespace: 'mlflow.prod:443' }).success).toBe(true);
  });
});
