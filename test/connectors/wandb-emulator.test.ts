import { API_KEY, emulator, gql, stopEmulators } from './wandb-helpers';
import type { WandbEmulator } from '../../connectors/sources/wandb/emulator';

afterEach(stopEmulators);

const seed = (e: WandbEmulator) => {
  const run = e.logRun({ project: 'acme/fraud', name: 'abc123', user: 'bob', config: { lr: 0.1 }, summary: { auc: 0.9 } });
  e.logArtifact({ collection: 'acme/fraud/detector', run, metadata: { owner: 'carol' } });
  const v1 = e.logArtifact({ collection: 'acme/fraud/detector', run });
  e.logArtifact({ collection: 'acme/fraud/detector', user: 'carol' });
  e.addRegistry('acme-corp', 'acme-corp-org', 'model');
  e.addRegistry('acme-corp', 'acme-corp-org', 'llm');
  e.addProject('acme-corp-org/not-a-registry');
  e.link(v1, 'acme-corp-org/wandb-registry-model/fraud', ['production']);
};

const COLLECTIONS = /* GraphQL */ `
query Q($entity: String!, $project: String!, $withDigest: Boolean!, $first: Int, $after: String) {
  project(entityName: $entity, name: $project) {
    artifactType(name: "model") {
      artifactCollections(first: $first, after: $after) {
        totalCount
        pageInfo { endCursor hasNextPage }
        edges { node { __typename ...C kind: defaultArtifactType { name } } }
      }
    }
  }
}
fragment C on ArtifactCollection {
  name
  artifacts(first: 2) { edges { version node { versionIndex digest @include(if: $withDigest) state @skip(if: true) metadata } } }
}`;

describe('wandb emulator: GraphQL', () => {
  it('executes fragments, field aliases, @include/@skip and __typename as GraphQL does', async () => {
    const emu = await emulator(seed);
    const { status, body } = await gql(emu, COLLECTIONS, { entity: 'acme', project: 'fraud', withDigest: false });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const conn = body.data?.project.artifactType.artifactCollections;
    expect(conn.totalCount).toBe(1);
    expect(conn.edges[0].node).toEqual({
      __typename: 'ArtifactSequence',
      name: 'detector',
      kind: { name: 'model' },
      artifacts: {
        edges: [
          { version: 'v0', node: { versionIndex: 0, metadata: '{"owner":"carol"}' } },
          { version: 'v1', node: { versionIndex: 1, metadata: null } },
        ],
      },
    });
    const withDigest = await gql(emu, COLLECTIONS, { entity: 'acme', project: 'fraud', withDigest: true });
    expect(withDigest.body.data?.project.artifactType.artifactCollections.edges[0].node.artifacts.edges[0].node.digest).toMatch(/^[0-9a-f]{32}$/);

    const registry = await gql(emu, COLLECTIONS, { entity: 'acme-corp-org', project: 'wandb-registry-model', withDigest: false });
    expect(registry.body.data?.project.artifactType.artifactCollections.edges[0].node.__typename).toBe('ArtifactPortfolio');
  });

  it('answers 400 with located errors for a syntax error, an unknown field and a missing variable', async () => {
    const emu = await emulator(seed);
    const syntax = await gql(emu, 'query { project(name: "x" { name } }');
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors?.[0]?.message).toMatch(/^Syntax Error/);
    const unknown = await gql(emu, '{ project(name: "fraud", entityName: "acme") { nam } }');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]).toMatchObject({ message: 'Cannot query field "nam" on type "Project". Did you mean "name"?', locations: [{ line: 1, column: 48 }] });
    const missing = await gql(emu, COLLECTIONS, { entity: 'acme', project: 'fraud' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]?.message).toContain('$withDigest');
  });

  it('answers null for what does not exist, and JSONString fields as strings', async () => {
    const emu = await emulator(seed);
    const { status, body } = await gql(emu, `{
      nope: project(name: "nope", entityName: "acme") { name }
      fraud: project(name: "fraud", entityName: "acme") { artifactType(name: "dataset") { name } run(name: "abc123") { config summaryMetrics user { username } } }
      organization(name: "nope") { name }
      artifact(id: "QXJ0aWZhY3Q6OTk5") { id }
    }`);
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ nope: null, organization: null, artifact: null, fraud: { artifactType: null } });
    const run = body.data?.fraud.run;
    expect(typeof run.config).toBe('string');
    expect(JSON.parse(run.config)).toMatchObject({ lr: { value: 0.1, desc: null }, _wandb: expect.any(Object) });
    expect(JSON.parse(run.summaryMetrics)).toMatchObject({ auc: 0.9, _step: 10 });
    expect(run.user).toEqual({ username: 'bob' });
  });

  it('pages with first/after, refuses more than 1,000 at once and a cursor it did not give', async () => {
    const emu = await emulator((e) => {
      for (let c = 0; c < 5; c++) e.logArtifact({ collection: `acme/p/m${c}`, user: 'bob' });
    });
    const names: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const { body } = await gql(emu, COLLECTIONS, { entity: 'acme', project: 'p', withDigest: false, first: 2, after });
      const conn = body.data?.project.artifactType.artifactCollections;
      names.push(...conn.edges.map((e: { node: { name: string } }) => e.node.name));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(names).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);

    const tooMany = await gql(emu, COLLECTIONS, { entity: 'acme', project: 'p', withDigest: false, first: 1001 });
    expect(tooMany.status).toBe(200);
    expect(tooMany.body.data?.project.artifactType.artifactCollections).toBeNull();
    expect(tooMany.body.errors?.[0]).toMatchObject({ message: 'invalid first: 1001; it must be at most 1000', path: ['project', 'artifactType', 'artifactCollections'] });
    const badCursor = await gql(emu, COLLECTIONS, { entity: 'acme', project: 'p', withDigest: false, after: 'Zm9vOjE=' });
    expect(badCursor.body.errors?.[0]?.message).toBe('invalid cursor: Zm9vOjE=');
  });

  it('a cursor stays good when the version before it is deleted', async () => {
    const emu = await emulator((e) => {
      for (let v = 0; v < 4; v++) e.logArtifact({ collection: 'acme/p/m', user: 'bob' });
    });
    const q = '{ project(name: "p", entityName: "acme") { artifactType(name: "model") { artifactCollection(name: "m") { artifacts(first: 2, after: $after) { pageInfo { endCursor } edges { version } } } } } }'.replace('{ project', 'query($after: String) { project');
    const first = await gql(emu, q);
    const cursor = first.body.data?.project.artifactType.artifactCollection.artifacts.pageInfo.endCursor;
    emu.deleteVersion('acme/p/m:v0');
    const next = await gql(emu, q, { after: cursor });
    expect(next.body.data?.project.artifactType.artifactCollection.artifacts.edges).toEqual([{ version: 'v2' }, { version: 'v3' }]);
  });

  it('keeps an alias on one version per collection: latest follows new versions and links, a set alias moves', async () => {
    const emu = await emulator(seed);
    const q = `{ project(name: "fraud", entityName: "acme") { artifactType(name: "model") { artifactCollection(name: "detector") {
      artifacts { edges { version node { aliases { alias artifactCollection { name } } } } } } } } }`;
    const aliases = async () =>
      Object.fromEntries(
        (await gql(emu, q)).body.data?.project.artifactType.artifactCollection.artifacts.edges.map((e: { version: string; node: { aliases: Array<{ alias: string; artifactCollection: { name: string } }> } }) => [
          e.version,
          e.node.aliases.map((a) => `${a.artifactCollection.name}:${a.alias}`).join(' '),
        ]),
      );
    expect(await aliases()).toEqual({ v0: '', v1: 'fraud:latest fraud:production', v2: 'detector:latest' });
    emu.setAlias('acme/fraud/detector:v0', 'latest');
    emu.link('acme/fraud/detector:v2', 'acme-corp-org/wandb-registry-model/fraud', ['production']);
    expect(await aliases()).toEqual({ v0: 'detector:latest', v1: '', v2: 'fraud:latest fraud:production' });
  });

  it('filters the org entity\'s projects by name as W&B\'s MongoDB-style filters do', async () => {
    const emu = await emulator(seed);
    const q = 'query($f: JSONString) { organization(name: "acme-corp") { orgEntity { name projects(filters: $f) { edges { node { name } } } } } }';
    const names = async (f: unknown) => (await gql(emu, q, { f: JSON.stringify(f) })).body.data?.organization.orgEntity.projects.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(await names({ name: { $regex: '^wandb-registry-' } })).toEqual(['wandb-registry-model', 'wandb-registry-llm']);
    expect(await names({ name: { $in: ['wandb-registry-llm', 'nope'] } })).toEqual(['wandb-registry-llm']);
    expect(await names({ $or: [{ name: 'not-a-registry' }, { name: { $eq: 'wandb-registry-model' } }] })).toEqual(['wandb-registry-model', 'not-a-registry']);
    const unsupported = await gql(emu, q, { f: JSON.stringify({ name: { $where: 'x' } }) });
    expect(unsupported.body.errors?.[0]?.message).toBe('invalid filters: unsupported operator $where');
  });
});

describe('wandb emulator: HTTP', () => {
  it('answers 401 without a key it knows, and 429 with Retry-After when rate limited', async () => {
    const emu = await emulator(seed);
    const wrong = await gql(emu, '{ viewer { username } }', {}, 'not-a-key');
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors?.[0]?.message).toBe('user is not logged in');
    const anonymous = await fetch(`${emu.url}/graphql`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query":"{ viewer { id } }"}' });
    expect(anonymous.status).toBe(401);
    expect((await gql(emu, '{ viewer { username entity } }')).body.data).toEqual({ viewer: { username: 'alice', entity: 'alice' } });

    emu.server.setRateLimit({ capacity: 1, refillPerSec: 0.01 });
    expect((await gql(emu, '{ viewer { id } }')).status).toBe(200);
    const limited = await fetch(`${emu.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`api:${API_KEY}`).toString('base64')}` },
      body: '{"query":"{ viewer { id } }"}',
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('refuses a body without a query string', async () => {
    const emu = await emulator(seed);
    const res = await fetch(`${emu.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`api:${API_KEY}`).toString('base64')}` },
      body: JSON.stringify({ variables: {} }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [{ message: 'Must provide query string.' }] });
  });
});
