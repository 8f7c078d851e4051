import { AuthError } from '../../src/errors';
import { collect } from '../support/deps';
import { failure } from './mlflow-helpers';
import { createWrite, DEPLOYMENTS, modelItem, startJira, stopJira } from './jira-setup';

afterEach(stopJira);

const schemaWrites = (requests: ReadonlyArray<{ method: string; path: string }>) => requests.filter((r) => r.method === 'POST' && /objectschema\/create|objecttype\/create|objecttypeattribute\//.test(r.path));

for (const deployment of DEPLOYMENTS) {
  describe(`Jira Assets --apply-schema (${deployment})`, () => {
    it('a dry run lists what it would create and creates nothing', async () => {
      const fx = await startJira({ deployment, bootstrapped: false });
      const steps = (await fx.sink.bootstrap?.({ dryRun: true }, fx.ctx())) ?? [];
      expect(steps[0]).toEqual({ action: 'create', what: 'object schema "ML Inventory"', detail: 'key MLINV' });
      expect(steps.filter((s) => s.what.startsWith('object type')).map((s) => s.what)).toEqual(['object type "ML Model"', 'object type "ML Model Version"', 'object type "ML Deployment"']);
      expect(steps.every((s) => s.action === 'create')).toBe(true);
      expect(fx.emu.server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      expect([...fx.emu.catalog.schemas.values()].map((s) => s.name)).toEqual(['IT Assets']);
    });

    it('creates the schema, types and typed attributes once; a second run creates nothing', async () => {
      const fx = await startJira({ deployment, bootstrapped: false });
      const first = (await fx.sink.bootstrap?.({ dryRun: false }, fx.ctx())) ?? [];
      const created = first.filter((s) => s.action === 'create');
      expect(created.length).toBe(schemaWrites(fx.emu.server.requests).length);
      expect(first.filter((s) => s.action === 'exists').map((s) => s.what)).toEqual([]);

      const type = (name: string) => fx.emu.typeId(name, 'ML Inventory');
      const attr = (typeName: string, name: string) => fx.emu.catalog.attrNamed(type(typeName), name);
      expect(attr('ML Model Version', 'Model')).toMatchObject({ type: 1, referenceObjectTypeId: type('ML Model'), max: 1 });
      expect(attr('ML Deployment', 'Serves')).toMatchObject({ type: 1, referenceObjectTypeId: type('ML Model Version'), max: -1 });
      expect(attr('ML Model', 'Owner')).toMatchObject({ type: 2 });
      expect(attr('ML Model', 'Lifecycle status')).toMatchObject({ type: 0, defaultTypeId: 10, options: ['Active', 'Retired'] });
      expect(attr('ML Deployment', 'Instance count')).toMatchObject({ defaultTypeId: 1 });
      expect(attr('ML Deployment', 'Monthly cost')).toMatchObject({ defaultTypeId: 3 });
      expect(attr('ML Deployment', 'Cost estimated')).toMatchObject({ defaultTypeId: 2 });
      expect(attr('ML Model', 'Source URL')).toMatchObject({ defaultTypeId: 7 });
      expect(attr('ML Model Version', 'Metrics')).toMatchObject({ defaultTypeId: 9 });
      expect(attr('ML Model', 'External key')).toMatchObject({ defaultTypeId: 0 });
      expect(fx.emu.catalog.attrsOf(type('ML Model')).filter((a) => a.name === 'Name')).toHaveLength(1);

      const writesBefore = schemaWrites(fx.emu.server.requests).length;
      const second = (await fx.sink.bootstrap?.({ dryRun: false }, fx.ctx())) ?? [];
      expect(second.filter((s) => s.action === 'create')).toEqual([]);
      expect(second).toHaveLength(first.length);
      expect(schemaWrites(fx.emu.server.requests).length).toBe(writesBefore);

      // And the sink can work in what it made.
      const { id } = await fx.sink.apply(createWrite(fx.sink, fx.mapping, modelItem('first-model')), fx.ctx());
      expect((await collect(fx.sink.readManaged(fx.ctx()))).map((r) => r.id)).toEqual([id]);
    });

    it('fills in only what is missing, and says where an existing attribute differs', async () => {
      const fx = await startJira({ deployment });
      fx.emu.removeAttribute('ML Model', 'Findings');
      const modelType = fx.emu.typeId('ML Model');
      fx.emu.catalog.createAttr(modelType, { name: 'Findings', type: 0, defaultTypeId: 1 });
      fx.emu.removeAttribute('ML Deployment', 'Region');
      const steps = (await fx.sink.bootstrap?.({ dryRun: false }, fx.ctx())) ?? [];
      expect(steps.filter((s) => s.action === 'create')).toEqual([{ action: 'create', what: 'attribute "Region" on "ML Deployment"', detail: 'Text' }]);
      expect(steps.find((s) => s.what === 'attribute "Findings" on "ML Model"')?.detail).toMatch(/another kind of attribute than the Textarea/);
    });

    it('says which Assets role a user lacks to create the schema', async () => {
      const fx = await startJira({ deployment, bootstrapped: false });
      fx.emu.addUser({ name: 'dev', email: 'dev@example.com', role: 'developer', secret: 'dev-secret-123' });
      const dev = await startJiraAs(deployment, fx, 'dev@example.com', 'dev-secret-123');
      const err = await failure(dev.bootstrap?.({ dryRun: false }, fx.ctx()) ?? Promise.resolve());
      expect(err).toBeInstanceOf(AuthError);
      expect(err.message).toMatch(/not allowed to create the object schema .*HTTP 403.*Jira administrator/);
    });
  });

  describe(`Jira Assets doctor (${deployment})`, () => {
    it('passes on a bootstrapped site, probing writes with a change of nothing', async () => {
      const fx = await startJira({ deployment });
      const { id } = await fx.sink.apply(createWrite(fx.sink, fx.mapping, modelItem('probe')), fx.ctx());
      const updated = fx.emu.objects.get(id).updated;
      const checks = await fx.sink.check(fx.ctx());
      expect(checks.filter((c) => !c.ok)).toEqual([]);
      expect(checks.map((c) => c.check)).toEqual(expect.arrayContaining(['credentials accepted', 'object schema "ML Inventory" exists', 'object type "ML Deployment" has the mapped attributes', 'write objects']));
      expect(checks.find((c) => c.check === 'write objects')?.detail).toBeUndefined();
      expect(fx.emu.objects.get(id).updated).toBe(updated);
    });

    it('points an empty workspace at --apply-schema', async () => {
      const fx = await startJira({ deployment, bootstrapped: false });
      const failed = (await fx.sink.check(fx.ctx())).filter((c) => !c.ok);
      expect(failed).toEqual([{ check: 'object schema "ML Inventory" exists', ok: false, detail: 'no schema with that name or key', hint: expect.stringContaining('masync init --sink assets-test --apply-schema') }]);
    });

    it('names a missing attribute, and the role a read-only user lacks to write', async () => {
      const fx = await startJira({ deployment });
      await fx.sink.apply(createWrite(fx.sink, fx.mapping, modelItem('probe')), fx.ctx());
      fx.emu.removeAttribute('ML Model Version', 'Model');
      fx.emu.addUser({ name: 'reader', email: 'reader@example.com', role: 'user', secret: 'reader-secret-123' });
      const reader = await startJiraAs(deployment, fx, 'reader@example.com', 'reader-secret-123');
      const failed = (await reader.check(fx.ctx())).filter((c) => !c.ok);
      expect(failed.map((c) => [c.check, c.detail, Boolean(c.hint)])).toEqual([
        ['object type "ML Model Version" has the mapped attributes', '"Model" is missing', true],
        ['write objects', expect.stringContaining('HTTP 403'), true],
      ]);
      expect(failed[1]?.hint).toContain('Object Schema Developers');
    });

    it('explains rejected credentials and a site without Assets', async () => {
      const bad = await startJira({ deployment, secret: 'wrong-token' });
      const denied = await bad.sink.check(bad.ctx());
      expect(denied.find((c) => c.check === 'credentials accepted')).toMatchObject({ ok: false, hint: expect.stringMatching(deployment === 'cloud' ? /API tokens/ : /personal access token/) });
      if (deployment === 'cloud') {
        const none = await startJira({ deployment, bootstrapped: false, emulator: { assets: false } });
        expect((await none.sink.check(none.ctx())).find((c) => !c.ok)).toMatchObject({ check: 'Assets workspace found', hint: expect.stringContaining('Premium or Enterprise') });
      }
    });
  });
}

/** The same sink config, signed in as another account of the fixture's emulator. */
async function startJiraAs(deployment: 'cloud' | 'datacenter', fx: Awaited<ReturnType<typeof startJira>>, email: string, secret: string) {
  const { jiraAssetsSink } = await import('../../connectors/sinks/jira-assets');
  const endpoint = deployment === 'cloud' ? { site: fx.emu.url, apiBase: fx.emu.url, email, apiToken: secret } : { baseUrl: fx.emu.url, token: secret };
  return jiraAssetsSink.create(jiraAssetsSink.schema.parse({ name: 'assets-test', type: 'jira-assets', deployment, ...endpoint }), fx.mapping, fx.deps);
}
