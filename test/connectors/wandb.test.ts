import { minimumCalls } from '../../connectors/sources/wandb/call-count';
import type { InventoryItem, ModelVersionItem } from '../../src/inventory';
import { itemHash } from '../../src/inventory';
import { collect } from '../support/deps';
import { connect, emulator, modelOf, operationOf, operations, stopEmulators, versionOf } from './wandb-helpers';

afterEach(stopEmulators);

const versions = (items: InventoryItem[]) => items.filter((i): i is ModelVersionItem => i.kind === 'model_version');

describe('wandb source: reading', () => {
  it('pages through collections and through versions, page by page, and makes exactly the minimum calls', async () => {
    const emu = await emulator((e) => {
      for (let c = 1; c <= 5; c++) for (let v = 0; v < c; v++) e.logArtifact({ collection: `acme/fraud/model-${c}`, user: 'bob' });
    });
    const { source, ctx } = connect(emu, { projects: ['fraud'], pageSize: 2 });
    const items = await collect(source.list(ctx));

    expect(items.filter((i) => i.kind === 'model')).toHaveLength(5);
    expect(versions(items)).toHaveLength(1 + 2 + 3 + 4 + 5);
    const collectionPages = operations(emu, 'ModelCollections');
    expect(collectionPages).toHaveLength(3);
    const vars = collectionPages.map((r) => (r.body as { variables: Record<string, unknown> }).variables);
    expect(vars.map((v) => v.first)).toEqual([2, 2, 2]);
    expect(vars[0]?.after).toBeUndefined();
    expect(vars.slice(1).every((v) => typeof v.after === 'string' && v.after !== '')).toBe(true);
    // model-3, -4 and -5 hold more than the 2 versions listed with them: one follow-up page each, at the largest size.
    const versionPages = operations(emu, 'CollectionVersions').map((r) => (r.body as { variables: Record<string, unknown> }).variables);
    expect(versionPages.map((v) => v.collection).sort()).toEqual(['model-3', 'model-4', 'model-5']);
    expect(versionPages.every((v) => v.first === 1000 && typeof v.after === 'string')).toBe(true);
    expect(emu.server.requests).toHaveLength(minimumCalls({ scopes: [[1, 2, 3, 4, 5]], pageSize: 2 }));
    expect(emu.server.requests.every((r) => r.method === 'POST' && r.path === '/graphql')).toBe(true);
  });

  it('follows a collection with more versions than one follow-up page holds', async () => {
    const emu = await emulator((e) => {
      for (let v = 0; v < 1003; v++) e.logArtifact({ collection: 'acme/fraud/big', user: 'bob' });
    });
    const { source, ctx } = connect(emu, { projects: ['fraud'], pageSize: 2 });
    const items = await collect(source.list(ctx));
    expect(new Set(versions(items).map((v) => v.version)).size).toBe(1003);
    expect(operations(emu, 'CollectionVersions')).toHaveLength(2);
    expect(emu.server.requests).toHaveLength(minimumCalls({ scopes: [[1003]], pageSize: 2 }));
  });

  it('maps a version: key, path, status, digest, lineage from the producing run, links into the UI', async () => {
    const emu = await emulator((e) => {
      const data = e.logArtifact({ collection: 'acme/fraud/transactions', type: 'dataset', user: 'alice' });
      const base = e.logArtifact({ collection: 'acme/fraud/base-model', user: 'alice' });
      const run = e.logRun({
        project: 'acme/fraud',
        name: 'x7k2p9',
        user: 'bob',
        displayName: 'bright-owl',
        config: { lr: 0.01, layers: [64, 32], optimizer: { name: 'adam', beta: 0.9 }, _private: 1 },
        summary: { auc: 0.93, loss: 'n/a', eval: { f1: 0.8 }, roc: { _type: 'plotly', path: 'x' }, nan: Number.NaN },
        inputs: [data, base],
      });
      e.logArtifact({ collection: 'acme/fraud/fraud-detector', run, description: 'gradient boosting', metadata: { framework: 'xgboost', rows: 10, nested: { a: 1 } }, tags: ['reviewed'] });
    });
    const { source, ctx } = connect(emu, { projects: ['fraud'], uiUrl: 'https://wandb.example.com/' });
    const items = await collect(source.list(ctx));
    const ns = new URL(emu.url).host;

    const v0 = versionOf(items, 'acme/fraud/fraud-detector:v0');
    expect(v0).toMatchObject({
      key: `wandb://${ns}/acme/fraud/fraud-detector:v0`,
      versionOf: `wandb://${ns}/acme/fraud/fraud-detector`,
      name: 'fraud-detector',
      version: '0',
      description: 'gradient boosting',
      status: 'COMMITTED',
      owner: 'bob',
      runId: 'acme/fraud/x7k2p9',
      runName: 'bright-owl',
      links: { ui: 'https://wandb.example.com/acme/fraud/artifacts/model/fraud-detector/v0', run: 'https://wandb.example.com/acme/fraud/runs/x7k2p9' },
      tags: { framework: 'xgboost', rows: '10', 'wandb.type': 'model', 'wandb.tags': 'reviewed', 'wandb.digest': expect.stringMatching(/^[0-9a-f]{32}$/) },
    });
    expect(v0.tags.nested).toBeUndefined();
    expect(v0.params).toEqual({ lr: '0.01', layers: '[64,32]', 'optimizer.name': 'adam', 'optimizer.beta': '0.9' });
    expect(v0.metrics).toEqual({ auc: 0.93, 'eval.f1': 0.8 });
    // The run's other inputs are its datasets; an input model is not one.
    expect(v0.datasets).toEqual([{ name: 'transactions', sourceType: 'dataset', uri: 'acme/fraud/transactions:v0', digest: expect.any(String) }]);
    expect(v0.createdAt).toMatch(/^2026-01-05T\d\d:\d\d:00\.000Z$/);
    expect(source.kindOfKey(v0.key)).toBe('model_version');
    expect(source.scopeOfKey?.(v0.key)).toBe('acme/fraud');
    expect(source.kindOfKey(`wandb://${ns}/acme/fraud/fraud-detector`)).toBe('model');
    expect(source.kindOfKey('wandb://elsewhere/acme/fraud/fraud-detector')).toBeUndefined();
  });

  it('finds owners and cost centers: version metadata, then collection tag, then the run user; models fall back to their earliest owned version', async () => {
    const emu = await emulator((e) => {
      const run = e.logRun({ project: 'acme/p', user: 'runner' });
      e.logArtifact({ collection: 'acme/p/tagged', run, metadata: { owner: 'meta-owner', cost_center: 'Platform' } });
      e.logArtifact({ collection: 'acme/p/tagged', run });
      e.setCollection('acme/p/tagged', { tags: ['owner-tag-owner', 'cost_center-Risk Analytics', 'plain'] });
      e.logArtifact({ collection: 'acme/p/untagged', user: 'uploader' });
      e.logArtifact({ collection: 'acme/p/untagged', run });
    });
    const { source, ctx } = connect(emu, { projects: ['p'] });
    const items = await collect(source.list(ctx));
    expect(versionOf(items, 'acme/p/tagged:v0')).toMatchObject({ owner: 'meta-owner', costCenter: 'Platform' });
    expect(versionOf(items, 'acme/p/tagged:v1')).toMatchObject({ owner: 'tag-owner', costCenter: 'Risk Analytics' });
    expect(versionOf(items, 'acme/p/untagged:v0').owner).toBe('uploader');
    expect(versionOf(items, 'acme/p/untagged:v1').owner).toBe('runner');
    expect(versionOf(items, 'acme/p/untagged:v1').costCenter).toBeUndefined();
    expect(modelOf(items, 'acme/p/tagged')).toMatchObject({ owner: 'tag-owner', costCenter: 'Risk Analytics', tags: { 'wandb.tags': 'cost_center-Risk Analytics, owner-tag-owner, plain' } });
    expect(modelOf(items, 'acme/p/untagged').owner).toBe('uploader');
  });

  it('reads registry collections and project collections; a version linked into two collections is one item with both links', async () => {
    const emu = await emulator((e) => {
      const v0 = e.logArtifact({ collection: 'acme/fraud/detector', user: 'bob' });
      e.logArtifact({ collection: 'acme/fraud/detector', user: 'bob', aliases: ['candidate'] });
      e.addRegistry('acme-corp', 'acme-corp-org', 'model');
      e.addRegistry('acme-corp', 'acme-corp-org', 'datasets');
      e.link(v0, 'acme-corp-org/wandb-registry-model/fraud-detection', ['production']);
      e.link(v0, 'acme-corp-org/wandb-registry-model/risk', ['champion']);
    });
    const { source, ctx } = connect(emu, { projects: ['fraud'], registries: { organization: 'acme-corp' } });
    const items = await collect(source.list(ctx));
    const ns = new URL(emu.url).host;

    expect(items.map((i) => i.key).sort()).toEqual(
      [
        'acme/fraud/detector',
        'acme/fraud/detector:v0',
        'acme/fraud/detector:v1',
        'acme-corp-org/wandb-registry-model/fraud-detection',
        'acme-corp-org/wandb-registry-model/risk',
      ].map((k) => `wandb://${ns}/${k}`).sort(),
    );
    const v0 = versionOf(items, 'acme/fraud/detector:v0');
    expect(v0.tags['wandb.links']).toBe('acme-corp-org/wandb-registry-model/fraud-detection:v0, acme-corp-org/wandb-registry-model/risk:v0');
    expect(v0.aliases).toEqual([
      'wandb-registry-model/fraud-detection:latest',
      'wandb-registry-model/fraud-detection:production',
      'wandb-registry-model/risk:champion',
      'wandb-registry-model/risk:latest',
    ]);
    expect(v0.stage).toBe('Production');
    expect(versionOf(items, 'acme/fraud/detector:v1')).toMatchObject({ aliases: ['candidate', 'latest'] });
    expect(versionOf(items, 'acme/fraud/detector:v1').stage).toBeUndefined();
    // Registry models name their versions by the source version's W&B path.
    expect(modelOf(items, 'wandb-registry-model/fraud-detection')).toMatchObject({
      aliases: { production: 'acme/fraud/detector:v0', latest: 'acme/fraud/detector:v0' },
      latestVersions: { Production: 'acme/fraud/detector:v0' },
      owner: 'bob',
      tags: { 'wandb.collection': 'portfolio' },
    });
    expect(modelOf(items, 'acme/fraud/detector')).toMatchObject({ aliases: { candidate: '1', latest: '1' }, latestVersions: {} });
    // The registries were found with a filter in a variable, never spliced into the query text.
    const [discovery] = operations(emu, 'Registries');
    expect((discovery?.body as { variables: Record<string, unknown> }).variables.filters).toBe(JSON.stringify({ name: { $regex: '^wandb-registry-' } }));
  });

  it('reads only the named registries, and the legacy model registry when asked', async () => {
    const emu = await emulator((e) => {
      const v0 = e.logArtifact({ collection: 'acme/fraud/detector', user: 'bob' });
      e.addRegistry('acme-corp', 'acme-corp-org', 'model');
      e.addRegistry('acme-corp', 'acme-corp-org', 'llm');
      e.link(v0, 'acme-corp-org/wandb-registry-model/a');
      e.link(v0, 'acme-corp-org/wandb-registry-llm/b');
      e.link(v0, 'acme/model-registry/Fraud Detector', ['production']);
    });
    const { source, ctx } = connect(emu, { projects: ['fraud'], registries: { organization: 'acme-corp', names: ['llm'] }, legacyRegistry: true });
    const items = await collect(source.list(ctx));
    expect(items.filter((i) => i.kind === 'model').map((i) => i.name).sort()).toEqual(['Fraud Detector', 'b', 'detector']);
    expect(versionOf(items, 'acme/fraud/detector:v0').stage).toBe('Production');
    expect(modelOf(items, 'acme/model-registry/Fraud%20Detector').key).toContain('/acme/model-registry/Fraud%20Detector');
  });

  it('a version linked from a project masync does not read brings its source collection, marked as known through links only', async () => {
    const emu = await emulator((e) => {
      const v = e.logArtifact({ collection: 'acme/scratch/notebook-model', user: 'carol', aliases: ['best'] });
      e.logArtifact({ collection: 'acme/scratch/notebook-model', user: 'carol' });
      e.setCollection('acme/scratch/notebook-model', { description: 'from a notebook', tags: ['cost_center-Platform'] });
      e.addRegistry('acme-corp', 'acme-corp-org', 'model');
      e.link(v, 'acme-corp-org/wandb-registry-model/experiments');
    });
    const { source, ctx } = connect(emu, { registries: { organization: 'acme-corp' } });
    const items = await collect(source.list(ctx));
    expect(versions(items).map((v) => v.artifactUri)).toEqual(['acme/scratch/notebook-model:v0']);
    expect(modelOf(items, 'acme/scratch/notebook-model')).toMatchObject({
      description: 'from a notebook',
      owner: 'carol',
      costCenter: 'Platform',
      aliases: { best: '0' },
      tags: { 'wandb.coverage': 'linked versions only' },
    });
    expect(items.filter((i) => i.kind === 'model')).toHaveLength(2);
  });

  it('an alias moved in a registry changes the stage and aliases of both versions on the next read', async () => {
    const emu = await emulator((e) => {
      const v0 = e.logArtifact({ collection: 'acme/fraud/detector', user: 'bob' });
      const v1 = e.logArtifact({ collection: 'acme/fraud/detector', user: 'bob' });
      e.addRegistry('acme-corp', 'acme-corp-org', 'model');
      e.link(v0, 'acme-corp-org/wandb-registry-model/fraud', ['production']);
      e.link(v1, 'acme-corp-org/wandb-registry-model/fraud');
    });
    const { source, ctx } = connect(emu, { projects: ['fraud'], registries: { organization: 'acme-corp' } });
    const before = await collect(source.list(ctx));
    expect(versionOf(before, 'acme/fraud/detector:v0').stage).toBe('Production');
    expect(versionOf(before, 'acme/fraud/detector:v1').stage).toBeUndefined();

    emu.setAlias('acme-corp-org/wandb-registry-model/fraud:v1', 'production');
    const after = await collect(source.list(ctx));
    expect(versionOf(after, 'acme/fraud/detector:v0').stage).toBeUndefined();
    expect(versionOf(after, 'acme/fraud/detector:v0').aliases).not.toContain('wandb-registry-model/fraud:production');
    expect(versionOf(after, 'acme/fraud/detector:v1')).toMatchObject({ stage: 'Production', aliases: expect.arrayContaining(['wandb-registry-model/fraud:production']) });
    expect(modelOf(after, 'wandb-registry-model/fraud').latestVersions).toEqual({ Production: 'acme/fraud/detector:v1' });
    const changed = after.filter((i) => itemHash(i) !== itemHash(before.find((b) => b.key === i.key) ?? i));
    // The source collection's model changes too: its Production version is now v1.
    expect(changed.map((i) => i.key.split('/').slice(-2).join('/')).sort()).toEqual(['fraud/detector', 'fraud/detector:v0', 'fraud/detector:v1', 'wandb-registry-model/fraud']);
  });

  it('stages follow the configured aliases, case-insensitively, first stage first', async () => {
    const emu = await emulator((e) => {
      e.logArtifact({ collection: 'acme/p/m', user: 'bob', aliases: ['Champion'] });
      e.logArtifact({ collection: 'acme/p/m', user: 'bob', aliases: ['staging', 'prod'] });
      e.logArtifact({ collection: 'acme/p/m', user: 'bob', aliases: ['canary'] });
    });
    const plain = connect(emu, { projects: ['p'] });
    const defaults = await collect(plain.source.list(plain.ctx));
    expect(['m:v0', 'm:v1', 'm:v2'].map((v) => versionOf(defaults, `acme/p/${v}`).stage)).toEqual(['Production', 'Production', undefined]);
    const custom = connect(emu, { projects: ['p'], stages: { Canary: ['canary'], Staging: ['staging'] } });
    const items = await collect(custom.source.list(custom.ctx));
    expect(['m:v0', 'm:v1', 'm:v2'].map((v) => versionOf(items, `acme/p/${v}`).stage)).toEqual([undefined, 'Staging', 'Canary']);
  });

  it('sends every read as an idempotent POST: a 503 or a dropped answer is simply asked again', async () => {
    const emu = await emulator((e) => void e.logArtifact({ collection: 'acme/p/m', user: 'bob' }));
    const { source, ctx } = connect(emu, { projects: ['p'] });
    emu.server.faults.inject({ method: 'POST', path: '/graphql', status: 503, body: { errors: [{ message: 'upstream busy' }] } });
    emu.server.faults.inject({ method: 'POST', path: '/graphql', destroy: true, afterHandling: true });
    const items = await collect(source.list(ctx));
    expect(items).toHaveLength(2);
    expect(operations(emu).map((r) => [operationOf(r.body), r.status])).toEqual([
      ['ModelCollections', 503],
      ['ModelCollections', 0],
      ['ModelCollections', 200],
    ]);
  });
});
