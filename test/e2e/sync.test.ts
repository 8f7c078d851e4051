import { mlflowSandbox } from '../../connectors/sources/mlflow/sandbox';
import { servicenowSandbox, servicenowSandboxPart } from '../../connectors/sinks/servicenow/sandbox';
import { startSandbox, type PartsOf, type Sandbox } from '../../src/sandbox/sandbox';
import { json, runCli, startCli } from './cli';

interface SyncJson {
  runId: string;
  status: string;
  formatVersion: number;
  planned: { create: number; update: number; retire: number; relate: number; unrelate: number; unchanged: number };
  applied: { create: number; update: number; retire: number; relate: number; unrelate: number; failed: number; unknown: number; skipped: number };
  errors: string[];
}

interface PlanJson {
  summary: SyncJson['planned'];
  ops: Array<{ op: string; sink: string; kind: string; key: string; changes: Record<string, { from: string | null; to: string | null }> }>;
}

const writes = (j: SyncJson) => j.applied.create + j.applied.update + j.applied.retire + j.applied.relate + j.applied.unrelate;


/** MLflow's demo registry into the ServiceNow sandbox instance. */
const parts = { mlflow: mlflowSandbox, servicenow: servicenowSandbox };
describe('masync CLI end to end (sandbox emulators over HTTP)', () => {
  let box: Sandbox<PartsOf<typeof parts>>;
  let env: Record<string, string>;
  beforeEach(async () => {
    box = await startSandbox(parts);
    env = box.env;
  });
  afterEach(() => box.stop());

  const managed = () => box.parts.servicenow.emulator.query('cmdb_ci', 'discovery_source=masync');
  const cli = (...args: string[]) => runCli([...args, '-c', box.configFile], env);

  it('plan shows the creates; sync applies; a second sync writes nothing', async () => {
    const plan = await cli('plan', '--json', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    const p = json<PlanJson>(plan);
    expect(p.summary).toEqual({ create: 20, update: 0, retire: 0, relate: 15, unrelate: 0, unchanged: 0 });
    expect(p.ops.find((o) => o.key.endsWith('/models/fraud-detector/versions/2'))).toMatchObject({
      op: 'create',
      sink: 'cmdb-sandbox',
      kind: 'model_version',
      changes: { u_ml_stage: { from: null, to: 'Production' }, u_ml_aliases: { from: null, to: 'champion' } },
    });

    const first = await cli('sync', '--json');
    expect(first.code).toBe(0);
    expect(json<SyncJson>(first)).toMatchObject({ formatVersion: 2, status: 'ok', planned: { create: 20, relate: 15 }, applied: { create: 20, relate: 15, failed: 0 }, errors: [] });
    expect(managed()).toHaveLength(20);

    const second = await cli('sync', '--json');
    const again = json<SyncJson>(second);
    expect(again).toMatchObject({ status: 'ok', planned: { create: 0, update: 0, retire: 0, unchanged: 20 } });
    expect(writes(again)).toBe(0);
    const after = await cli('plan', '--detailed-exitcode');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('No changes. 20 record(s) already up to date.');
  });

  it('a version deleted in MLflow gets its CI retired, not deleted', async () => {
    await cli('sync');
    box.parts.mlflow.emulator.deleteVersion('churn-predictor', '1');
    const plan = await cli('plan');
    expect(plan.stdout).toMatch(/- retire model_version churn-predictor v1  \(mlflow:\/\/mlflow\.sandbox\/models\/churn-predictor\/versions\/1\)/);
    expect(plan.stdout).toContain('install_status: "1" → "7"');
    const r = json<SyncJson>(await cli('sync', '--json'));
    expect(r).toMatchObject({ status: 'ok', planned: { retire: 1 }, applied: { retire: 1 } });
    expect(writes(r)).toBe(1);
    const ci = managed().find((c) => c.correlation_id === 'mlflow://mlflow.sandbox/models/churn-predictor/versions/1');
    expect(ci).toMatchObject({ install_status: '7', operational_status: '2' });
    expect(managed()).toHaveLength(20);
    expect(box.parts.servicenow.emulator.server.count('DELETE')).toBe(0);
  });

  it('a stage change updates only that field', async () => {
    await cli('sync');
    box.parts.mlflow.emulator.transitionStage('recommender', '3', 'Production');
    const p = json<PlanJson>(await cli('plan', '--json'));
    const update = p.ops.find((o) => o.op === 'update' && o.key.endsWith('/recommender/versions/3'));
    expect(update?.changes).toEqual({ u_ml_stage: { from: 'Staging', to: 'Production' } });
    const patchesBefore = box.parts.servicenow.emulator.server.count('PATCH');
    await cli('sync');
    const patches = box.parts.servicenow.emulator.server.requests.filter((r) => r.method === 'PATCH').slice(patchesBefore);
    expect(patches.map((r) => r.body)).toContainEqual({ u_ml_stage: 'Production' });
  });

  it('SIGKILL in the middle of an apply, then sync again: no duplicate CI, consistent state', async () => {
    await box.stop();
    box = await startSandbox({ ...parts, servicenow: servicenowSandboxPart({ batchSize: 3 }) });
    let batches = 0;
    const { child, done } = startCli(['sync', '-c', box.configFile], env);
    // Batches of 3 creates: the third call's arrival finds two batches (6 CIs) landed.
    box.parts.servicenow.emulator.server.onRequest = (req) => {
      if (req.method === 'POST' && req.path.endsWith('/batch') && ++batches === 3) child.kill('SIGKILL');
    };
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    box.parts.servicenow.emulator.server.onRequest = undefined;
    const partialCount = managed().length;
    expect(partialCount).toBeGreaterThanOrEqual(6);
    expect(partialCount).toBeLessThan(20);

    const again = json<SyncJson>(await cli('sync', '--json'));
    expect(again.status).toBe('ok');
    expect(again.planned.create).toBe(20 - partialCount);
    const ids = managed().map((c) => c.correlation_id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    const rels = box.parts.servicenow.emulator.query('cmdb_rel_ci', 'parent.discovery_source=masync');
    expect(new Set(rels.map((r) => `${r.parent}>${r.child}`)).size).toBe(rels.length);
    expect(rels).toHaveLength(15);
    expect(writes(json<SyncJson>(await cli('sync', '--json')))).toBe(0);
  });

  it('two syncs at once: the second refuses clearly, or waits with --wait', async () => {
    // Slow writes keep the first run holding the lease while the second starts.
    box.parts.servicenow.emulator.server.faults.inject({ method: 'POST', path: /^\/api\/now\/table\//, delayMs: 250, times: 40 });
    const first = startCli(['sync', '-c', box.configFile], env);
    await waitFor(() => box.parts.servicenow.emulator.server.requests.some((r) => r.method === 'GET' && r.path.startsWith('/api/now/table/cmdb_ci')));
    const second = await cli('sync');
    expect(second.code).toBe(75);
    expect(second.stderr).toMatch(/another masync run holds .*masync\.db \(run \S+, pid \d+/);
    expect(second.stderr).toContain('Use --wait SECONDS');
    const waited = runCli(['sync', '--json', '--wait', '30', '-c', box.configFile], env);
    expect((await first.done).code).toBe(0);
    const w = json<SyncJson>(await waited);
    expect(w.status).toBe('ok');
    expect(writes(w)).toBe(0);
  });

  it('never writes a secret to output, logs or the state file', async () => {
    const r = await cli('sync', '--log-level', 'debug', '--log-format', 'json');
    expect(r.code).toBe(0);
    const bad = await runCli(['sync', '--log-level', 'debug', '-c', box.configFile], { ...env, MASYNC_SANDBOX_SN_PASSWORD: 'wrong-password-77x' });
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toContain('HTTP 401');
    const { readFileSync, readdirSync } = await import('node:fs');
    const stateBytes = readdirSync(box.dir)
      .filter((f) => f.startsWith('masync.db'))
      .map((f) => readFileSync(`${box.dir}/${f}`).toString('latin1'))
      .join('');
    for (const secret of [env.MASYNC_SANDBOX_MLFLOW_TOKEN, env.MASYNC_SANDBOX_SN_PASSWORD, 'wrong-password-77x']) {
      expect(r.stdout + r.stderr + bad.stdout + bad.stderr).not.toContain(secret);
      expect(stateBytes).not.toContain(secret);
      expect(stateBytes).not.toContain(Buffer.from(`masync.integration:${secret}`).toString('base64'));
    }
    expect(r.stderr).toContain('"level":"debug"');
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
