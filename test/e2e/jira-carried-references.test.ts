import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { registry } from '../../connectors';
import { startJiraAssetsSandbox, type JiraSandboxPart } from '../../connectors/sinks/jira-assets/sandbox';
import { MlflowEmulator, tickingClock } from '../../connectors/sources/mlflow/emulator';
import type { EmuRequest } from '../../connectors/emulator-kit';
import { loadRuntime } from '../../src/app/runtime';
import { runSync } from '../../src/app/sync-run';
import { Redactor } from '../../src/http/redact';
import { sandboxBase } from '../../src/sandbox/sandbox';
import { MemoryLogger } from '../support/deps';

const CREATE = /\/object\/create$/;
const AQL = /\/object\/aql$/;

/**
 * A new version's "Model" reference rides in its create (one POST, no PUT of
 * its own), and the relate it stands for is journalled, counted and settled
 * as if it had been written alone: unknown with its create, failed with it,
 * and never sent again blindly.
 */
describe('Jira Assets: references carried in the create', () => {
  let w: Awaited<ReturnType<typeof world>> | undefined;
  afterEach(async () => {
    await w?.stop();
    w = undefined;
  });

  it('a version created with its model in the same run: its create carries the model, and nothing is edited', async () => {
    w = await world({ versions: 1 });
    const r = await w.sync();
    expect(r).toMatchObject({ status: 'ok', applied: { create: 2, relate: 1, failed: 0, unknown: 0 } });
    expect(w.writes()).toEqual({ creates: 2, edits: 0 });
    const [version] = w.versions();
    expect(version?.model).toBe(w.modelKey());
    expect(w.versionCreateValues()[0]).toContain(w.modelKey());
    expect(await w.sync()).toMatchObject({ status: 'ok', planned: { create: 0, update: 0, relate: 0, unrelate: 0 } });
  });

  it('a version created under a model that existed before the run: one create, carrying the model', async () => {
    w = await world({ versions: 0 });
    expect(await w.sync()).toMatchObject({ status: 'ok', applied: { create: 1, relate: 0 } });
    w.mlflow.addVersion({ name: 'fraud-detector', source: 's3://models/fraud/1' });
    w.part.emulator.server.clearRequests();
    expect(await w.sync()).toMatchObject({ status: 'ok', applied: { create: 1, relate: 1, failed: 0, unknown: 0 } });
    expect(w.writes()).toEqual({ creates: 1, edits: 0 });
    expect(w.versions().map((v) => v.model)).toEqual([w.modelKey()]);
  });

  it('a create whose answer is lost and that cannot be looked up: it and its relate stay unknown, nothing is sent again, and the next run finds both', async () => {
    w = await world({ versions: 1 });
    const emu = w.part.emulator;
    w.onVersionCreate(() => {
      emu.server.faults.inject({ method: 'POST', path: CREATE, afterHandling: true, destroy: true });
      emu.server.faults.inject({ method: 'POST', path: AQL, status: 503, times: 1000 });
    });
    const first = await w.sync();
    expect(first).toMatchObject({ applied: { create: 1, relate: 0, unknown: 2 } });
    expect(first.errors.some((e) => e.startsWith('relate model_version') && e.includes('outcome is unknown'))).toBe(true);
    emu.server.faults.clear();
    expect(w.writes()).toEqual({ creates: 2, edits: 0 });

    const next = await w.sync();
    expect(next).toMatchObject({ status: 'ok', planned: { create: 0, relate: 0 }, applied: { create: 0, relate: 0 } });
    expect(w.writes()).toEqual({ creates: 2, edits: 0 });
    expect(w.versions().map((v) => v.model)).toEqual([w.modelKey()]);
  });

  it('a create whose answer is lost but that is found by lookup: its relate is found on it too, and nothing is sent again', async () => {
    w = await world({ versions: 1 });
    w.onVersionCreate(() => w?.part.emulator.server.faults.inject({ method: 'POST', path: CREATE, afterHandling: true, destroy: true }));
    expect(await w.sync()).toMatchObject({ status: 'ok', applied: { create: 2, relate: 1, failed: 0, unknown: 0 } });
    expect(w.writes()).toEqual({ creates: 2, edits: 0 });
    expect(w.versions().map((v) => v.model)).toEqual([w.modelKey()]);
    expect(await w.sync()).toMatchObject({ status: 'ok', planned: { create: 0, relate: 0 } });
  });

  it('a create Assets refuses: its relate fails with it, and the next run creates the version carrying its model', async () => {
    w = await world({ versions: 1 });
    w.onVersionCreate(() => w?.part.emulator.server.faults.inject({ method: 'POST', path: CREATE, status: 400, body: { errorMessages: ['refused for the test'] } }));
    const first = await w.sync();
    expect(first).toMatchObject({ status: 'partial', applied: { create: 1, relate: 0, failed: 2, unknown: 0 } });
    expect(first.errors.some((e) => e.startsWith('relate model_version') && e.includes('not drawn'))).toBe(true);
    expect(w.versions()).toEqual([]);

    expect(await w.sync()).toMatchObject({ status: 'ok', applied: { create: 1, relate: 1, failed: 0 } });
    expect(w.writes()).toEqual({ creates: 3, edits: 0 });
    expect(w.versions().map((v) => v.model)).toEqual([w.modelKey()]);
  });
});

/** MLflow with one model ("fraud-detector") and `versions` versions, synced into a bootstrapped Assets workspace. */
async function world(opts: { versions: number }) {
  const part: JiraSandboxPart = await startJiraAssetsSandbox({ bootstrapped: true }, {});
  const mlflow = new MlflowEmulator({ auth: { token: 'carry-token' }, clock: tickingClock() });
  mlflow.addModel({ name: 'fraud-detector', description: 'scores card payments' });
  for (let v = 1; v <= opts.versions; v++) mlflow.addVersion({ name: 'fraud-detector', source: `s3://models/fraud/${v}` });
  await mlflow.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-carried-'));
  const file = path.join(dir, 'masync.yaml');
  const source = { name: 'mlflow-test', type: 'mlflow', url: mlflow.url, namespace: 'mlflow.test', auth: { token: '${MLFLOW_TOKEN}' } };
  // No retries and a short settle window: a lookup refused once leaves the outcome unknown, at once.
  const sink = { ...part.config, http: { retries: 0 } };
  writeFileSync(file, stringify({ state: { path: 'masync.db' }, run: { settleSec: 0.05 }, sources: [source], sinks: [sink] }));
  const redactor = new Redactor();
  const rt = loadRuntime(file, { registry, env: { ...part.env, MLFLOW_TOKEN: 'carry-token' }, redactor, makeLogger: () => new MemoryLogger(redactor) });
  const emu = part.emulator;
  part.emulator.server.clearRequests();
  const objects = (type: string) => emu.objectsOf(type).map((o) => ({ key: o.key, values: emu.valuesOf(o.id) }));
  const isVersionCreate = (q: { method: string; path: string; body: unknown }) =>
    q.method === 'POST' && CREATE.test(q.path) && (q.body as { objectTypeId?: string }).objectTypeId === emu.typeId('ML Model Version');
  return {
    part,
    mlflow,
    sync: () => runSync(rt, { allowMassRetire: false, waitMs: 0 }, sandboxBase(rt)),
    /** Object creates and edits sent since the world started (or the requests were last cleared). */
    writes: () => ({ creates: emu.server.requests.filter((q) => q.method === 'POST' && CREATE.test(q.path)).length, edits: emu.server.requests.filter((q) => q.method === 'PUT').length }),
    versions: () => objects('ML Model Version').map((o) => ({ key: o.key, model: o.values.Model?.join(', ') })),
    modelKey: () => objects('ML Model').find((o) => o.values['Managed by']?.[0] === 'masync')?.key,
    /** The values each version create sent, of every attribute. */
    versionCreateValues: () =>
      emu.server.requests.filter(isVersionCreate).map((q) => (q.body as { attributes: Array<{ objectAttributeValues: Array<{ value: string }> }> }).attributes.flatMap((a) => a.objectAttributeValues.map((v) => v.value))),
    /** Act when the first version create arrives, before Assets handles it. */
    onVersionCreate(act: () => void) {
      emu.server.onRequest = (req: EmuRequest) => {
        if (!isVersionCreate(req)) return;
        emu.server.onRequest = undefined;
        act();
      };
    },
    async stop() {
      rt.close();
      await Promise.all([part.stop(), mlflow.stop()]);
    },
  };
}
