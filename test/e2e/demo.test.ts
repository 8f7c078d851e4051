import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { json, runCli, startCli } from './cli';

/** `npm start` is `masync demo`: the tour over every emulator, as a new user first sees masync. */
describe('masync demo (npm start)', () => {
  it('tours the sandbox, step by step, and exits 0', async () => {
    // --dir names a folder that does not exist yet: the demo makes it.
    const parent = mkdtempSync(path.join(os.tmpdir(), 'masync-demo-'));
    const r = await runCli(['demo', '--dir', path.join(parent, 'new', 'dir')], {});
    rmSync(parent, { recursive: true, force: true });
    expect(r.code).toBe(0);
    for (const step of ['1. masync init --sink assets-sandbox --apply-schema', '2. masync plan', '3. masync sync', '4. masync sync again', '5. a version is deleted in mlflow-sandbox', '6. query-character safety', '7. masync findings', '8. one deployment in cmdb-sandbox', '9. masync status']) {
      expect(r.stdout).toContain(step);
    }
    expect(r.stdout).not.toMatch(/^error:/m);
    // Retired in both sinks, deleted in neither; the people's records named like query syntax untouched.
    expect(r.stdout).toMatch(/^cmdb-sandbox: "fraud-detector v1" .* → install_status 7 \(Retired\), operational_status 2 \(Non-Operational\); still there\.$/m);
    expect(r.stdout).toMatch(/^assets-sandbox: "fraud-detector v1" .* → Lifecycle status Retired; still there\.$/m);
    expect(r.stdout.match(/DELETE requests it received: 0 for records/g)).toHaveLength(2);
    expect(r.stdout).toMatch(/^ {2}x {2,}a person's record \w+, written 0 time\(s\)$/m);
    expect(r.stdout).toMatch(/^ {2}x" OR Name != " {2,}a person's record ITA-\d+, written 0 time\(s\)$/m);
    expect(r.stdout).toMatch(/open finding\(s\), wasting \$[\d.]+ a month\./);
  });

  it('--keep leaves the emulators running for your own commands, and Ctrl-C stops it cleanly', async () => {
    const { child, done } = startCli(['demo', '--keep'], {});
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo did not get to --keep:\n${out}`)), 30_000);
      child.stdout?.on('data', () => {
        if (!out.includes('Press Ctrl-C')) return;
        clearTimeout(timer);
        resolve();
      });
    });
    const [, envFile, config] = /set -a; \. (\S+); set \+a; export MASYNC_CONFIG=(\S+)/.exec(out) ?? [];
    const env = Object.fromEntries(readFileSync(envFile ?? '', 'utf8').trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
    const plan = await runCli(['plan', '--json'], { ...env, MASYNC_CONFIG: config ?? '' });
    expect(plan.code).toBe(0);
    expect(json<{ summary: { unchanged: number } }>(plan).summary.unchanged).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
  });
});
