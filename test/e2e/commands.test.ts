import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mlflowSandbox } from '../../connectors/sources/mlflow/sandbox';
import { servicenowSandbox } from '../../connectors/sinks/servicenow/sandbox';
import { startSandbox, type PartsOf, type Sandbox } from '../../src/sandbox/sandbox';
import { json, runCli, startCli } from './cli';
import { freePort } from '../support/free-port';


/** MLflow's demo registry into the ServiceNow sandbox instance. */
const parts = { mlflow: mlflowSandbox, servicenow: servicenowSandbox };
describe('masync commands end to end', () => {
  let box: Sandbox<PartsOf<typeof parts>>;
  beforeEach(async () => {
    box = await startSandbox(parts);
  });
  afterEach(() => box.stop());

  const cli = (...args: string[]) => runCli([...args, '-c', box.configFile], box.env);

  it('doctor passes on the sandbox and explains each failure with a fix', async () => {
    const ok = await cli('doctor');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('All checks passed.');
    expect(ok.stdout).toMatch(/✓ .*discovery_source/i);

    box.parts.servicenow.emulator.removeColumn('cmdb_ci_appl', 'u_ml_stage');
    const broken = await runCli(['doctor', '--json', '-c', box.configFile], { ...box.env, MASYNC_SANDBOX_MLFLOW_TOKEN: 'not-the-token' });
    expect(broken.code).toBe(1);
    const report = json<{ ok: boolean; connectors: Array<{ connector: string; checks: Array<{ ok: boolean; check: string; hint?: string }> }> }>(broken);
    expect(report.ok).toBe(false);
    const failed = report.connectors.flatMap((c) => c.checks.filter((k) => !k.ok).map((k) => ({ connector: c.connector, ...k })));
    expect(failed.map((f) => f.connector).sort()).toEqual(expect.arrayContaining(['cmdb-sandbox', 'mlflow-sandbox']));
    expect(failed.every((f) => (f.hint ?? '').length > 0)).toBe(true);
    expect(JSON.stringify(failed)).toContain('u_ml_stage');
    expect(broken.stdout + broken.stderr).not.toContain('not-the-token');
  });

  it('status shows runs and counts after a sync', async () => {
    const empty = await cli('status');
    expect(empty.stdout).toContain('No state file at');
    expect(existsSync(path.join(box.dir, 'masync.db'))).toBe(false);
    await cli('sync');
    const s = json<{ runs: Array<{ status: string; summary: { planned: Record<string, number>; applied: Record<string, number> } }>; links: Array<{ sink: string; active: number; retired: number }> }>(await cli('status', '--json'));
    expect(s.runs[0]).toMatchObject({ status: 'ok', summary: { planned: { create: 20, relate: 15 }, applied: { create: 20, relate: 15 } } });
    expect(s.links).toEqual([{ sink: 'cmdb-sandbox', active: 20, retired: 0 }]);
  });

  it('a source whose credentials are rejected fails the run and retires nothing', async () => {
    await cli('sync');
    const r = await runCli(['sync', '--json', '-c', box.configFile], { ...box.env, MASYNC_SANDBOX_MLFLOW_TOKEN: 'revoked' });
    expect(r.code).toBe(1);
    const out = json<{ status: string; errors: string[]; applied: Record<string, number> }>(r);
    expect(out).toMatchObject({ status: 'failed', applied: { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 } });
    expect(out.errors[0]).toMatch(/source mlflow-sandbox: mlflow-sandbox: GET \/api\/2\.0\/mlflow\/registered-models\/search → HTTP 401/);
    expect(box.parts.servicenow.emulator.query('cmdb_ci', 'discovery_source=masync^install_status=7')).toHaveLength(0);
  });

  it('a config error names the file, line and path, and exits 78', async () => {
    writeFileSync(box.configFile, readFileSync(box.configFile, 'utf8').replace('maxRetireFraction: 0.2', 'maxRetireFraction: 2'));
    const r = await cli('plan');
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(new RegExp(`${box.configFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: guard\\.maxRetireFraction: Too big`));
  });

  it('init writes a commented example that validates, and will not overwrite it', async () => {
    const file = path.join(box.dir, 'new.yaml');
    const first = await runCli(['init', file], {});
    expect(first.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^# yaml-language-server: \$schema=.*config\/masync\.schema\.json\n# masync configuration/);
    const again = await runCli(['init', file], {});
    expect(again.code).toBe(64);
    expect(again.stderr).toContain('already exists; use --force');
    const check = await runCli(['plan', '-c', file], {});
    expect(check.code).toBe(78);
    expect(check.stderr).toContain('environment variable MLFLOW_TRACKING_TOKEN is not set');
  });

  it('daemon syncs on schedule, serves /healthz and /metrics, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const { child, done } = startCli(['daemon', '--run-on-start', '--port', String(port), '-c', box.configFile], box.env);
    const health = await poll(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      const body = res?.ok ? ((await res.json()) as { lastRun?: { status: string; writes: number } }) : undefined;
      return body?.lastRun ? body : undefined;
    });
    expect(health.lastRun).toMatchObject({ status: 'ok', writes: 35 });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/masync_runs_total\{status="ok"\} 1/);
    expect(metrics).toMatch(/masync_writes_total\{op="create"\} 20/);
    expect(metrics).toMatch(/masync_writes_total\{op="relate"\} 15/);
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('daemon stopped');
    expect((await cli('sync', '--json')).code).toBe(0); // the lease was released
    expect(existsSync(path.join(box.dir, 'masync.db'))).toBe(true);
  });
});

async function poll<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
