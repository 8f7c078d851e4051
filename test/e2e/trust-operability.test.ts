import path from 'node:path';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { stoppableIo } from '../support/stoppable-io';
import { DEMO, SINK, SOURCE, logLines, startWorld, type World } from '../support/sync-world';

interface StatusJson {
  runs: Array<{ id: string; status: string }>;
  stateFile?: null;
}

/** Issue 5: what an operator meets first — where the config is, what status needs, what the log says. */
describe('operability', () => {
  let w: World;
  afterEach(() => w.stop());

  it('-c defaults to ./masync.yaml, else $MASYNC_CONFIG; status needs no secret and creates no state file', async () => {
    w = await startWorld();
    const bare = await w.cli(['status', '--json'], { io: stoppableIo({}) });
    expect(bare.code).toBe(0);
    expect(JSON.parse(bare.stdout)).toMatchObject({ runs: [], stateFile: null });
    expect(existsSync(w.statePath)).toBe(false);

    expect((await w.cli(['sync', '--json'])).code).toBe(0);
    // No secret in the environment at all: status reads the state file only.
    const inDir = await w.spawn(['status', '--json'], { cwd: w.dir, env: {} }).done;
    expect(inDir.code).toBe(0);
    const runs = (JSON.parse(inDir.stdout) as StatusJson).runs;
    expect(runs).toEqual([expect.objectContaining({ status: 'ok' })]);
    const viaEnv = await w.spawn(['status', '--json'], { cwd: os.tmpdir(), env: { MASYNC_CONFIG: w.configFile } }).done;
    expect((JSON.parse(viaEnv.stdout) as StatusJson).runs.map((r) => r.id)).toEqual(runs.map((r) => r.id));
    const nowhere = await w.spawn(['status'], { cwd: os.tmpdir(), env: {} }).done;
    expect(nowhere.code).toBe(78);
    expect(nowhere.stderr).toContain(`${os.tmpdir()}/masync.yaml: cannot read file`);
  });

  it('off a terminal, a sync logs JSON lines only: progress of each connector, the run id on every line, the connector on every line a connector wrote', async () => {
    w = await startWorld({ run: { settleSec: 0.1 } });
    // Something for the HTTP layer to log (a 429 on each side), and more writes waiting to be looked up again at once than one listener limit allows.
    w.mlflow.server.faults.inject({ method: 'GET', path: '/api/2.0/mlflow/registered-models/search', status: 429, headers: { 'Retry-After': '0' }, body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' } });
    w.servicenow.server.faults.inject({ method: 'GET', path: '/api/now/table/cmdb_rel_type', status: 429, headers: { 'Retry-After': '0' } });
    w.servicenow.server.faults.inject({ method: 'POST', path: '/api/now/v1/batch', status: 503, times: 2 });

    const r = await w.spawn(['sync', '--json']).done;
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { runId: string; applied: Record<string, number> };
    expect(result.applied).toMatchObject({ create: DEMO.cis, relate: DEMO.relations });

    const lines = logLines(r.stderr);
    expect(lines.filter((l) => 'unparsed' in l)).toEqual([]);
    expect(lines.filter((l) => l.runId !== result.runId)).toEqual([]);
    for (const name of [SOURCE, SINK]) {
      const mentioning = lines.filter((l) => String(l.message).startsWith(`${name}: `));
      expect(mentioning.length).toBeGreaterThan(0);
      expect(mentioning.filter((l) => l.connector !== name)).toEqual([]);
      const progress = lines.filter((l) => (l.progress as { connector?: string } | undefined)?.connector === name);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((l) => l.connector === name)).toBe(true);
    }
    expect(lines.some((l) => l.level === 'warn' && l.connector === SINK && String(l.message).includes('→ 429'))).toBe(true);
    expect(lines.some((l) => l.level === 'warn' && l.connector === SOURCE && String(l.message).includes('→ 429'))).toBe(true);
  });

  it("a library's process warning during a run is one JSON log line, not raw text in the log", async () => {
    w = await startWorld();
    // Writes held back long enough for the warning to come while the run is going.
    w.servicenow.server.faults.inject({ method: 'POST', path: '/api/now/v1/batch', delayMs: 600, times: 1 });
    const preload = path.resolve(__dirname, '../support/emit-warning.js');
    const r = await w.spawn(['sync', '--json'], { env: { ...w.env, NODE_OPTIONS: `--require ${preload}`, MASYNC_TEST_WARNING_AFTER_MS: '300' } }).done;
    expect(r.code).toBe(0);
    const lines = logLines(r.stderr);
    expect(lines.filter((l) => 'unparsed' in l)).toEqual([]);
    expect(lines.filter((l) => String(l.message).includes('ExampleSupportWarning'))).toEqual([expect.objectContaining({ level: 'warn', message: 'ExampleSupportWarning: a library notice across two lines' })]);
  });
});
