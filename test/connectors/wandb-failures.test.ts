import { COLLECTIONS_QUERY } from '../../connectors/sources/wandb/queries';
import { wandbSource } from '../../connectors/sources/wandb';
import { AuthError, ConnectorError, MalformedResponseError } from '../../src/errors';
import { collect } from '../support/deps';
import { API_KEY, connect, emulator, failure, gql, lenientCtx, operations, stopEmulators } from './wandb-helpers';

afterEach(stopEmulators);

const seed = (e: import('../../connectors/sources/wandb/emulator').WandbEmulator) => {
  const run = e.logRun({ project: 'acme/fraud', user: 'bob', config: { lr: 0.1 }, summary: { auc: 0.9 } });
  e.logArtifact({ collection: 'acme/fraud/detector', run });
  e.logArtifact({ collection: 'acme/fraud/detector', run, aliases: ['production'] });
  e.logArtifact({ collection: 'acme/churn/churner', user: 'carol' });
};

/** The emulator's real answer to the connector's first query, for a test to break one field of. */
async function firstPage(emu: Awaited<ReturnType<typeof emulator>>, project = 'fraud') {
  const { body } = await gql(emu, COLLECTIONS_QUERY, { entity: 'acme', project, type: 'model', first: 100, versions: 100, lineage: true });
  return body;
}

describe('wandb source: credentials', () => {
  it('a rejected API key is an AuthError naming the source and what to set, never the key', async () => {
    const emu = await emulator(seed);
    const wrong = 'wrong-key-8c1d2e3f4a5b';
    const { source, ctx, deps } = connect(emu, { projects: ['fraud'], apiKey: wrong });
    const err = await failure(collect(source.list(ctx)));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain('wandb-test');
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain('apiKey');
    expect(err.message).not.toContain(wrong);
    expect(err.message).not.toContain(Buffer.from(`api:${wrong}`).toString('base64'));
    expect(deps.logger.lines.join('\n')).not.toContain(wrong);
    const checks = await source.check(ctx);
    expect(checks.find((c) => !c.ok)).toMatchObject({ check: 'API key accepted', hint: expect.stringContaining('${WANDB_API_KEY}') });
  });

  it('a 403 says which permission is missing', async () => {
    const emu = await emulator(seed);
    emu.server.faults.inject({ path: '/graphql', status: 403, body: { errors: [{ message: 'permission denied' }] } });
    const { source, ctx } = connect(emu, { projects: ['fraud'] });
    const err = await failure(collect(source.list(ctx)));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain('permission denied');
    expect(err.message).toContain('member of the team');
  });
});

describe('wandb source: GraphQL errors and nulls', () => {
  it('an error beside partial data fails the read, naming the source, the operation and the path', async () => {
    const emu = await emulator(seed);
    const page = await firstPage(emu);
    page.data!.project.artifactType.artifactCollections.edges[0].node.artifacts.edges[1].node.createdBy = null;
    emu.server.faults.inject({
      path: '/graphql',
      status: 200,
      body: { ...page, errors: [{ message: 'run lookup timed out', path: ['project', 'artifactType', 'artifactCollections', 'edges', 0, 'node', 'artifacts', 'edges', 1, 'node', 'createdBy'] }] },
    });
    const { source, ctx } = connect(emu, { projects: ['fraud'] });
    const err = await failure(collect(source.list(ctx)));
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.message).toBe('source wandb-test: ModelCollections failed at project.artifactType.artifactCollections.edges[0].node.artifacts.edges[1].node.createdBy: run lookup timed out');
  });

  it('a validation error (400) names the source and carries W&B\'s message', async () => {
    const emu = await emulator(seed);
    emu.server.faults.inject({ path: '/graphql', status: 400, body: { errors: [{ message: 'Cannot query field "artifactMemberships" on type "Artifact".' }] } });
    const { source, ctx } = connect(emu, { projects: ['fraud'] });
    const err = await failure(collect(source.list(ctx)));
    expect(err.message).toContain('wandb-test');
    expect(err.message).toContain('HTTP 400: Cannot query field "artifactMemberships"');
  });

  it('a configured project that does not exist is a clear error, never an empty read', async () => {
    const emu = await emulator(seed);
    const { source, ctx } = connect(emu, { projects: ['fraud', 'frod'] });
    const err = await failure(collect(source.list(ctx)));
    expect(err.message).toBe('source wandb-test: project acme/frod was not found, or this API key cannot read it');
  });

  it('with the engine\'s context, a missing project fails its scope only: the others are read and nothing of it retires', async () => {
    const emu = await emulator(seed);
    const { source, deps } = connect(emu, { projects: ['frod', 'fraud'] });
    const { ctx, failedScopes } = lenientCtx(deps);
    const items = await collect(source.list(ctx));
    expect(failedScopes.map((f) => f.scope)).toEqual(['acme/frod']);
    expect(items.filter((i) => i.kind === 'model_version')).toHaveLength(2);
    expect(source.scopeOfKey?.(items[0]?.key ?? '')).toBe('acme/fraud');

    const none = connect(emu, { projects: ['frod', 'fraud-2'] });
    const all = lenientCtx(none.deps);
    await expect(collect(none.source.list(all.ctx))).rejects.toThrow('acme/fraud-2 was not found');
  });

  it('a project without any model yet is an empty read, not an error', async () => {
    const emu = await emulator((e) => {
      seed(e);
      e.logArtifact({ collection: 'acme/data-only/transactions', type: 'dataset', user: 'bob' });
    });
    const { source, ctx } = connect(emu, { projects: ['data-only'] });
    expect(await collect(source.list(ctx))).toEqual([]);
    expect((await source.check(ctx)).find((c) => c.check === 'project acme/data-only readable')).toMatchObject({ ok: true, detail: 'no "model" artifacts logged yet' });
  });

  it('a missing organization or named registry fails the read before anything is read', async () => {
    const emu = await emulator((e) => {
      seed(e);
      e.addRegistry('acme-corp', 'acme-corp-org', 'model');
    });
    const noOrg = connect(emu, { projects: ['fraud'], registries: { organization: 'acme-crop' } });
    expect((await failure(collect(noOrg.source.list(noOrg.ctx)))).message).toBe('source wandb-test: organization "acme-crop" was not found, or this API key cannot see it');
    const noRegistry = connect(emu, { projects: ['fraud'], registries: { organization: 'acme-corp', names: ['model', 'llm'] } });
    expect((await failure(collect(noRegistry.source.list(noRegistry.ctx)))).message).toBe('source wandb-test: registry wandb-registry-llm not found in organization "acme-corp", or not visible to this API key');
    expect(operations(emu, 'ModelCollections')).toHaveLength(0);
  });
});

describe('wandb source: malformed answers', () => {
  it('a malformed version names the source, the item and the field', async () => {
    const emu = await emulator(seed);
    const page = await firstPage(emu);
    page.data!.project.artifactType.artifactCollections.edges[0].node.artifacts.edges[1].node.versionIndex = 'one';
    emu.server.faults.inject({ path: '/graphql', status: 200, body: page });
    const { source, ctx } = connect(emu, { projects: ['fraud'] });
    const err = await failure(collect(source.list(ctx)));
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect(err.message).toMatch(/^source wandb-test: item acme\/fraud\/detector v1: field project\.artifactType\.artifactCollections\.edges\[0\]\.node\.artifacts\.edges\[1\]\.node\.versionIndex: /);
  });

  it('with the engine\'s context, a malformed version is skipped with its key, and its model is left as it was', async () => {
    const emu = await emulator(seed);
    const page = await firstPage(emu);
    page.data!.project.artifactType.artifactCollections.edges[0].node.artifacts.edges[0].node.metadata = '{not json';
    emu.server.faults.inject({ path: '/graphql', status: 200, body: page });
    const { source, deps } = connect(emu, { projects: ['fraud'] });
    const { ctx, skipped } = lenientCtx(deps);
    const items = await collect(source.list(ctx));
    const ns = new URL(emu.url).host;
    expect(items.map((i) => i.key)).toEqual([`wandb://${ns}/acme/fraud/detector:v1`]);
    expect(skipped.map((s) => [s.item, s.key])).toEqual([
      ['acme/fraud/detector:v0', `wandb://${ns}/acme/fraud/detector:v0`],
      ['acme/fraud/detector', `wandb://${ns}/acme/fraud/detector`],
    ]);
    expect(String(skipped[0]?.error)).toContain('field project.artifactType.artifactCollections.edges[0].node.artifacts.edges[0].node.metadata: a JSON string');
  });

  it('a malformed collection retires nothing of its project', async () => {
    const emu = await emulator(seed);
    const page = await firstPage(emu);
    delete page.data!.project.artifactType.artifactCollections.edges[0].node.id;
    emu.server.faults.inject({ path: '/graphql', status: 200, body: page });
    const { source, deps } = connect(emu, { projects: ['fraud'] });
    const { ctx, skipped } = lenientCtx(deps);
    expect(await collect(source.list(ctx))).toEqual([]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ item: 'acme/fraud/detector', scope: 'acme/fraud' });
    expect(skipped[0]?.key).toBeUndefined();
  });

  it('an HTML page instead of GraphQL, and a cursor that repeats, fail the read', async () => {
    const emu = await emulator(seed);
    emu.server.faults.inject({ path: '/graphql', status: 200, raw: '<html>login</html>', contentType: 'text/html' });
    const { source, ctx } = connect(emu, { projects: ['fraud'] });
    expect(await failure(collect(source.list(ctx)))).toBeInstanceOf(MalformedResponseError);

    const page = await firstPage(emu);
    page.data!.project.artifactType.artifactCollections.pageInfo = { hasNextPage: true, endCursor: 'c2FtZQ==' };
    emu.server.faults.inject({ path: '/graphql', status: 200, body: page, times: 2 });
    expect((await failure(collect(source.list(ctx)))).message).toContain('returned cursor c2FtZQ== twice');
  });
});

describe('wandb source: rate limits', () => {
  it('waits as the 429 Retry-After says, then reads everything', async () => {
    const emu = await emulator(seed);
    emu.server.setRateLimit({ capacity: 1, refillPerSec: 2 });
    const { source, ctx } = connect(emu, { projects: ['fraud', 'churn'] });
    const items = await collect(source.list(ctx));
    expect(items).toHaveLength(5);
    expect(operations(emu).map((r) => r.status)).toEqual([200, 429, 200]);
  });
});

describe('wandb source: doctor', () => {
  it('names each missing project and registry with a fix, and passes the rest', async () => {
    const emu = await emulator((e) => {
      seed(e);
      e.addRegistry('acme-corp', 'acme-corp-org', 'model');
    });
    const { source, ctx } = connect(emu, { projects: ['fraud', 'frod'], registries: { organization: 'acme-corp', names: ['llm'] }, legacyRegistry: true });
    const checks = await source.check(ctx);
    expect(checks.map((c) => [c.check, c.ok])).toEqual([
      [`W&B API reachable at ${emu.url}`, true],
      ['API key accepted', true],
      ['registries of organization acme-corp readable', false],
      ['legacy model registry acme/model-registry readable', false],
      ['project acme/fraud readable', true],
      ['project acme/frod readable', false],
    ]);
    for (const failed of checks.filter((c) => !c.ok)) expect(failed.hint).toBeTruthy();
    expect(checks.find((c) => c.check === 'project acme/frod readable')?.hint).toContain('case-sensitive');
    expect(checks.find((c) => c.check.startsWith('legacy'))?.hint).toContain('legacyRegistry: false');
  });

  it('tells an unreachable server and a non-W&B answer apart', async () => {
    const down = await emulator(seed);
    const { source: toDown, ctx } = connect(down, { projects: ['fraud'] }, 0);
    await down.stop();
    const [reach] = await toDown.check(ctx);
    expect(reach).toMatchObject({ ok: false, hint: expect.stringContaining('/graphql must answer') });

    const wrong = await emulator(seed);
    wrong.server.faults.inject({ path: '/graphql', status: 404, raw: 'Not Found', contentType: 'text/plain' });
    const { source } = connect(wrong, { projects: ['fraud'] });
    const [notWandb] = await source.check(ctx);
    expect(notWandb).toMatchObject({ ok: false, hint: expect.stringContaining('without /graphql') });
  });
});

describe('wandb source: config', () => {
  const base = { name: 'w', type: 'wandb', apiKey: API_KEY, entity: 'acme', projects: ['fraud'] };
  it('defaults to W&B cloud and rejects credentials in the URL, a missing entity, nothing to read and oversized pages', () => {
    expect(wandbSource.schema.parse(base)).toMatchObject({ url: 'https://api.wandb.ai', legacyRegistry: false, pageSize: 100, artifactTypes: ['model'] });
    const issues = (extra: Record<string, unknown>) => wandbSource.schema.safeParse({ ...base, ...extra }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ url: 'https://api:secret@wandb.example.com' })).toEqual(['url: a URL without credentials (they belong in the connector credential keys, which are redacted)']);
    expect(issues({ entity: undefined })).toEqual(['entity: the entity that owns the projects (and the legacy registry)']);
    expect(issues({ projects: [] })).toEqual(['projects: something to read: projects, registries or legacyRegistry']);
    expect(issues({ pageSize: 1001 })).toEqual(['pageSize: Too big: expected number to be <=1000']);
    expect(issues({ projects: ['a/b'] })).toEqual(['projects.0: a W&B name without "/" or ":"']);
    expect(issues({ projects: [], entity: undefined, registries: { organization: 'acme' } })).toEqual([]);
  });
});
