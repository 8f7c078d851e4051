import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { registry } from '../../connectors';
import { startJiraAssetsSandbox } from '../../connectors/sinks/jira-assets/sandbox';
import { MlflowEmulator, tickingClock } from '../../connectors/sources/mlflow/emulator';
import { seedSandbox } from '../../connectors/sources/mlflow/fixtures/sandbox';
import { loadRuntime } from '../../src/app/runtime';
import { runSync } from '../../src/app/sync-run';
import { sandboxBase } from '../../src/sandbox/sandbox';
import { Redactor } from '../../src/http/redact';
import { MemoryLogger } from '../support/deps';
import { DEMO, startWorld, type World } from '../support/sync-world';

interface SyncJson {
  status: string;
  planned: Record<string, number>;
  applied: Record<string, number>;
}

const BATCH = '/api/now/v1/batch';

/**
 * Issue 8: the apply waits for a write only when it needs that write's
 * result. Every record goes out at once (no record's write needs another's
 * id); relations follow only where they must: in ServiceNow, those that join
 * a record created in the run. In Jira Assets a relation is a value of its
 * holder's reference attribute: a new holder's create carries it, so a new
 * version's create waits for its model's (it needs the model's key) and no
 * relation costs an edit of its own; a relation on an object that already
 * exists is an edit of it, after every record write.
 */
describe('apply phases, per sink', () => {
  let w: World | undefined;
  afterEach(() => w?.stop());

  it('ServiceNow: the first sync writes every CI in one Batch API call, then the relations in one more', async () => {
    w = await startWorld();
    const r = await w.cli(['sync', '--json']);
    expect(JSON.parse(r.stdout) as SyncJson).toMatchObject({ status: 'ok', applied: { create: DEMO.cis, relate: DEMO.relations } });
    // 5 models and 15 versions in one call (not one per kind), 15 relations in the second.
    expect(w.servicenow.server.count('POST', BATCH)).toBe(2);
    const subs = w.servicenow.server.requests.filter((q) => q.via === BATCH);
    const firstRelation = subs.findIndex((q) => q.path === '/api/now/table/cmdb_rel_ci');
    expect(subs.slice(0, firstRelation).every((q) => q.path === '/api/now/table/cmdb_ci_appl_ai_application')).toBe(true);
    expect(subs.slice(firstRelation)).toHaveLength(DEMO.relations);
  });

  it('ServiceNow: a relation between CIs that exist goes in the same call as the record writes', async () => {
    w = await startWorld();
    await w.cli(['sync', '--json']);
    // A person removes one relationship; MLflow moves a version to another stage.
    const [rel] = w.relations();
    w.servicenow.delete('cmdb_rel_ci', rel?.sys_id ?? '');
    w.mlflow.transitionStage('churn-predictor', '2', 'Archived');
    w.servicenow.server.clearRequests();
    const r = JSON.parse((await w.cli(['sync', '--json', '--full'])).stdout) as SyncJson;
    expect(r).toMatchObject({ status: 'ok', applied: { update: 1, relate: 1 } });
    expect(w.servicenow.server.count('POST', BATCH)).toBe(1);
    expect(w.relations()).toHaveLength(DEMO.relations);
  });

  it('Jira Assets: the first sync creates the models, then the versions carrying their "Model", and edits nothing', async () => {
    const part = await startJiraAssetsSandbox({ bootstrapped: true }, {});
    const mlflow = new MlflowEmulator({ auth: { token: 'phases-token' }, clock: tickingClock() });
    seedSandbox(mlflow);
    await mlflow.start();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-phases-'));
    const file = path.join(dir, 'masync.yaml');
    const source = { name: 'mlflow-sandbox', type: 'mlflow', url: mlflow.url, namespace: 'mlflow.sandbox', auth: { token: '${MLFLOW_TOKEN}' } };
    writeFileSync(file, stringify({ state: { path: 'masync.db' }, sources: [source], sinks: [part.config] }));
    const redactor = new Redactor();
    const rt = loadRuntime(file, { registry, env: { ...part.env, MLFLOW_TOKEN: 'phases-token' }, redactor, makeLogger: () => new MemoryLogger(redactor) });
    try {
      part.emulator.server.clearRequests();
      const r = await runSync(rt, { allowMassRetire: false, waitMs: 0 }, sandboxBase(rt));
      expect(r).toMatchObject({ status: 'ok', applied: { create: DEMO.cis, relate: DEMO.relations } });
      const emu = part.emulator;
      const [model, version] = [emu.typeId('ML Model'), emu.typeId('ML Model Version')];
      const writes = emu.server.requests.filter((q) => q.method === 'POST' || q.method === 'PUT').filter((q) => q.method === 'PUT' || q.path.endsWith('/object/create'));
      expect(writes.filter((q) => q.method === 'PUT')).toEqual([]);
      const kinds = writes.map((q) => ({ [model]: 'model', [version]: 'version' })[(q.body as { objectTypeId: string }).objectTypeId]);
      expect(kinds.filter((k) => k === 'model' || k === 'version')).toHaveLength(DEMO.cis);
      expect(kinds.lastIndexOf('model')).toBeLessThan(kinds.indexOf('version'));
      // Each version points at its own model: "churn-predictor v2" at "churn-predictor".
      const nameOf = (id: string) => emu.valuesOf(id).Name?.[0];
      const keyToName = new Map(emu.objectsOf('ML Model').map((o) => [o.key, nameOf(o.id)]));
      const versions = emu.objectsOf('ML Model Version');
      expect(versions).toHaveLength(DEMO.relations);
      for (const v of versions) expect(`${keyToName.get(emu.valuesOf(v.id).Model?.[0] ?? '')} v${emu.valuesOf(v.id).Version?.[0]}`).toBe(nameOf(v.id));
    } finally {
      rt.close();
      await Promise.all([part.stop(), mlflow.stop()]);
    }
  });
});
