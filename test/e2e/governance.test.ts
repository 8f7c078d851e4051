import { mlflowSandbox } from '../../connectors/sources/mlflow/sandbox';
import { servicenowSandbox } from '../../connectors/sinks/servicenow/sandbox';
import { startSandbox, type PartsOf, type Sandbox } from '../../src/sandbox/sandbox';
import { json, runCli } from './cli';

const parts = { mlflow: mlflowSandbox, servicenow: servicenowSandbox };

describe('audit trail end to end: sync, move a version, then ask the state file', () => {
  let box: Sandbox<PartsOf<typeof parts>>;
  beforeEach(async () => {
    box = await startSandbox(parts);
  });
  afterEach(() => box.stop());

  const cli = (env: Record<string, string>, ...args: string[]) => runCli([...args, '-c', box.configFile], env);

  it('history, status and audit answer without any credential, from what the syncs recorded', async () => {
    expect((await cli(box.env, 'sync')).code).toBe(0);
    box.parts.mlflow.emulator.transitionStage('fraud-detector', '3', 'Production', true);
    box.parts.mlflow.emulator.setAlias('fraud-detector', 'champion', '3');
    expect((await cli(box.env, 'sync')).code).toBe(0);

    // No MASYNC_SANDBOX_* secret in the environment: these commands read the state file only.
    const h = json<{ subject: { kind: string }; events: Array<{ type: string; text: string; runId: string }> }>(await cli({}, 'history', 'fraud-detector', '--json'));
    expect(h.subject.kind).toBe('model');
    const texts = h.events.map((e) => `${e.type} ${e.text}`);
    expect(texts).toContain('stage fraud-detector v3: stage Staging → Production');
    expect(texts).toContain('stage fraud-detector v2: stage Production → Archived');
    expect(texts).toContain('aliases fraud-detector: alias champion moved v2 → v3');
    const promoted = texts.findIndex((t) => t.startsWith('stage fraud-detector v3'));
    const written = texts.findIndex((t) => /^write cmdb-sandbox: updated fraud-detector v3 \(\w+\): .*u_ml_stage "Staging" → "Production"/.test(t));
    expect(written).toBeGreaterThan(promoted);
    expect(new Set(h.events.map((e) => e.runId)).size).toBe(2);

    const status = json<{ runs: Array<{ summary: { change: { writes: Array<{ kind: string; update: number }>; inventory: Array<{ kind: string; changed: number }> } } }> }>(await cli({}, 'status', '--json'));
    const change = status.runs[0]?.summary.change;
    expect(change?.writes.find((w) => w.kind === 'model_version')?.update).toBeGreaterThanOrEqual(2);
    expect(change?.inventory.find((i) => i.kind === 'model_version')?.changed).toBeGreaterThanOrEqual(2);
    expect((await cli({}, 'status')).stdout).toMatch(/What the last recorded sync \(\S+\) changed:\n {2}cmdb-sandbox: /);

    const human = await cli({}, 'history', 'fraud-detector v3');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^History of version fraud-detector v3 /);
    const audit = json<{ intervals: unknown[]; notes: string[] }>(await cli({}, 'audit', '--at', new Date().toISOString(), '--json'));
    expect(audit.intervals).toEqual([]);
    expect(audit.notes.join()).toContain('no source that reads deployments has been synced');
  });
});
