import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { jiraAssetsSink } from '../../connectors/sinks/jira-assets';
import { startJiraAssetsSandbox, type JiraSandboxOptions, type JiraSandboxPart } from '../../connectors/sinks/jira-assets/sandbox';
import { mlflowSource } from '../../connectors/sources/mlflow';
import { MlflowEmulator, tickingClock } from '../../connectors/sources/mlflow/emulator';
import { seedSandbox } from '../../connectors/sources/mlflow/fixtures/sandbox';
import { loadRuntime, type Runtime } from '../../src/app/runtime';
import { runSync, writesOf } from '../../src/app/sync-run';
import { sandboxBase } from '../../src/sandbox/sandbox';
import { standaloneContext } from '../../src/engine/types';
import { Redactor } from '../../src/http/redact';
import { MemoryLogger } from '../support/deps';
import type { JiraAssetsEmulator } from '../../connectors/sinks/jira-assets/emulator';

const MLFLOW_TOKEN = 'sandbox-mlflow-token-for-jira-test';

interface Box {
  part: JiraSandboxPart;
  emu: JiraAssetsEmulator;
  mlflow: MlflowEmulator;
  rt: Runtime;
  logger: MemoryLogger;
  stop(): Promise<void>;
}

/** MLflow's demo registry and the Jira sandbox part, in one config file, as `masync` would load it. */
async function box(opts: JiraSandboxOptions): Promise<Box> {
  const part = await startJiraAssetsSandbox(opts, {});
  const mlflow = new MlflowEmulator({ auth: { token: MLFLOW_TOKEN }, clock: tickingClock() });
  seedSandbox(mlflow);
  await mlflow.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-jira-'));
  const file = path.join(dir, 'masync.yaml');
  const source = { name: 'mlflow-sandbox', type: 'mlflow', url: mlflow.url, namespace: 'mlflow.sandbox', auth: { token: '${MLFLOW_TOKEN}' } };
  writeFileSync(file, stringify({ state: { path: 'masync.db' }, sources: [source], sinks: [part.config] }));
  const redactor = new Redactor();
  const logger = new MemoryLogger(redactor);
  const rt = loadRuntime(file, {
    registry: { sources: [mlflowSource], sinks: [jiraAssetsSink], enrichers: [] },
    env: { ...part.env, MLFLOW_TOKEN },
    redactor,
    makeLogger: () => logger,
  });
  return { part, emu: part.emulator, mlflow, rt, logger, stop: async () => {
      rt.close();
      await Promise.all([part.stop(), mlflow.stop()]);
    },
  };
}

let current: Box | undefined;
afterEach(async () => {
  await current?.stop();
  current = undefined;
});

const sync = async (b: Box) => {
  const r = await runSync(b.rt, { allowMassRetire: false, waitMs: 0, concurrency: 4 }, sandboxBase(b.rt));
  return { ...r, writes: writesOf(r.applied) };
};

describe('Jira Assets sandbox part', () => {
  it('from an empty workspace: --apply-schema, a first sync, a second that writes nothing, a retirement; hand-made objects untouched', async () => {
    const b = (current = await box({ deployment: 'cloud' }));
    const untouched = () => [...b.emu.objects.objects.values()].filter((o) => !isML(b.emu, o.typeId)).map((o) => JSON.stringify([o.id, b.emu.valuesOf(o.id), o.updated]));
    const before = untouched();
    expect(b.part.config).toMatchObject({ type: 'jira-assets', deployment: 'cloud', apiToken: '${MASYNC_SANDBOX_JIRA_TOKEN}' });

    const sink = b.rt.sinks[0]?.sink;
    const steps = (await sink?.bootstrap?.({ dryRun: false }, standaloneContext(b.logger))) ?? [];
    expect(steps.filter((s) => s.action === 'create').length).toBeGreaterThan(40);

    const first = await sync(b);
    expect(first.status).toBe('ok');
    expect(first.errors).toEqual([]);
    expect(first.planned).toMatchObject({ create: 20, relate: 15, retire: 0 });
    expect(b.emu.objectsOf('ML Model', 'ML Inventory')).toHaveLength(5);
    const versions = b.emu.objectsOf('ML Model Version', 'ML Inventory');
    expect(versions).toHaveLength(15);
    expect(versions.every((v) => b.emu.valuesOf(v.id).Model?.length === 1)).toBe(true);
    const odd = b.emu.query('objectType = "ML Model" AND Name == "fraud^ORname=x"');
    expect(odd).toHaveLength(1);
    const owners = new Set(b.emu.objectsOf('ML Model', 'ML Inventory').map((m) => b.emu.valuesOf(m.id).Owner?.[0] ?? 'none'));
    expect(owners.has('none')).toBe(true); // dave is nobody here: left unwritten
    expect(b.logger.lines.some((l) => l.startsWith('warn') && l.includes('owner "dave"'))).toBe(true);

    const second = await sync(b);
    expect(second.planned).toMatchObject({ create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 });
    expect(second.writes).toBe(0);

    b.mlflow.deleteVersion('fraud-detector', '1');
    const third = await sync(b);
    expect(third.planned).toMatchObject({ retire: 1, create: 0 });
    const v1 = b.emu.query('objectType = "ML Model Version" AND Name == "fraud-detector v1"');
    expect(v1.map((o) => b.emu.valuesOf(o.id)['Lifecycle status'])).toEqual([['Retired']]);
    expect(b.part.server.count('DELETE')).toBe(0);
    expect(untouched()).toEqual(before);
  });

  it('pre-bootstrapped on Data Center, with hand-made models masync reads as nobody\'s', async () => {
    const b = (current = await box({ deployment: 'datacenter', bootstrapped: true }));
    const byHand = b.emu.objectsOf('ML Model', 'ML Inventory').map((o) => JSON.stringify([o.id, b.emu.valuesOf(o.id), o.updated]));
    expect(byHand).toHaveLength(2);
    const first = await sync(b);
    expect(first.status).toBe('ok');
    expect(first.planned).toMatchObject({ create: 20, relate: 15 });
    const hand = b.emu.objectsOf('ML Model', 'ML Inventory').filter((o) => b.emu.valuesOf(o.id)['Managed by']?.[0] !== 'masync');
    expect(hand.map((o) => JSON.stringify([o.id, b.emu.valuesOf(o.id), o.updated]))).toEqual(byHand);
  });
});

function isML(emu: JiraAssetsEmulator, typeId: string): boolean {
  const schemaId = emu.catalog.types.get(typeId)?.schemaId;
  return schemaId !== undefined && emu.catalog.schemas.get(schemaId)?.name === 'ML Inventory';
}
