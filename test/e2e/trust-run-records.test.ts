import os from 'node:os';
import { acquireLease, releaseLease } from '../../src/state/lease';
import { freePort, healthz } from '../support/free-port';
import { readState, runs } from '../support/state-file';
import { stoppableIo } from '../support/stoppable-io';
import { DEMO, eventually, logLines, startWorld, type World } from '../support/sync-world';

type Ops = 'create' | 'update' | 'retire' | 'relate' | 'unrelate';

interface Counts {
  planned: Record<Ops | 'unchanged', number>;
  applied: Record<Ops | 'failed' | 'unknown' | 'skipped', number>;
}

const BATCH = '/api/now/v1/batch';

/** Issue 5: the run history says what happened, not what was planned, and never leaves a run "running" forever. */
describe('run records', () => {
  let w: World;
  afterEach(() => w.stop());

  it('a run killed with SIGKILL is recorded as interrupted by the next run', async () => {
    w = await startWorld({ sink: { batchSize: 3 } });
    w.servicenow.server.faults.inject({ method: 'POST', path: BATCH, delayMs: 300, times: 100 });
    const cli = w.spawn(['sync', '--json']);
    let batches = 0;
    w.servicenow.server.onRequest = (req) => {
      if (req.method === 'POST' && req.path === BATCH && ++batches === 2) cli.child.kill('SIGKILL');
    };
    expect((await cli.done).signal).toBe('SIGKILL');
    w.servicenow.server.onRequest = undefined;
    w.servicenow.server.faults.clear();
    const killed = runs(w.statePath)[0];
    expect(killed).toMatchObject({ status: 'running', finishedAt: null });

    const next = await w.cli(['sync', '--json']);
    expect(JSON.parse(next.stdout)).toMatchObject({ status: 'ok' });
    expect(logLines(next.stderr).some((l) => l.level === 'warn' && String(l.message).includes(`run ${killed?.id}`) && String(l.message).includes('recorded as interrupted'))).toBe(true);
    const status = JSON.parse((await w.cli(['status', '--json'])).stdout) as { runs: Array<{ id: string; status: string; notes: string[] }> };
    expect(status.runs.map((r) => r.status)).toEqual(['ok', 'interrupted']);
    expect(status.runs[1]).toMatchObject({ id: killed?.id, notes: [expect.stringMatching(/^the process \(pid \d+ on .+\) ended without finishing the run; its writes are in the journal$/)] });
    expect(w.managed()).toHaveLength(DEMO.cis);
  });

  it('planned and applied differ when writes fail: in the daemon\'s /healthz, status --json and sync --json (applied from the journal)', async () => {
    w = await startWorld({ schedule: '0 0 1 1 *' });
    const rejectThreeModels = () =>
      w.servicenow.server.faults.inject({ method: 'POST', path: '/api/now/table/cmdb_ci_appl_ai_application', status: 400, body: { error: { message: 'Operation against file rejected', detail: 'a business rule' }, status: 'failure' }, times: 3 });
    rejectThreeModels();
    const port = await freePort();
    const io = stoppableIo(w.env);
    const daemon = w.cli(['daemon', '--run-on-start', '--port', String(port)], { io });
    const health = await eventually(async () => {
      const h = await healthz(port);
      return h?.body.lastRun ? h : undefined;
    }, 'the first daemon run');
    io.softStop();
    expect((await daemon).code).toBe(0);

    // A partial run is still a successful one for the probe; its counts say what it left undone.
    expect(health.status).toBe(200);
    const lastRun = health.body.lastRun as Counts & { status: string };
    expect(lastRun).toMatchObject({ status: 'partial', planned: { create: DEMO.cis, relate: DEMO.relations }, applied: { create: DEMO.cis - 3, failed: 3 } });
    expect(lastRun.applied.relate).toBeLessThan(DEMO.relations);
    expect(lastRun.applied.relate + lastRun.applied.skipped).toBe(DEMO.relations);

    const status = JSON.parse((await w.cli(['status', '--json'])).stdout) as { runs: Array<{ summary: Counts }> };
    expect(status.runs[0]?.summary).toMatchObject({ planned: lastRun.planned, applied: lastRun.applied });

    rejectThreeModels();
    const r = await w.cli(['sync', '--json']);
    const j = JSON.parse(r.stdout) as Counts & { status: string; errors: string[] };
    expect(r.code).toBe(3);
    expect(j).toMatchObject({ status: 'partial', planned: { create: 3, relate: lastRun.applied.skipped }, applied: { create: 0, failed: 3, relate: 0, skipped: lastRun.applied.skipped } });
    expect(j.errors.filter((e) => e.includes('Operation against file rejected: a business rule'))).toHaveLength(3);
  });

  it('sync --json answers in JSON also when another run holds the lease (exit 75)', async () => {
    w = await startWorld();
    await w.cli(['sync', '--json']);
    const holder = { holder: 'run-elsewhere', pid: process.pid, host: os.hostname() };
    readState(w.statePath, (db) => acquireLease(db, 'sync', holder, 60_000, { nowMs: Date.now(), isAlive: () => true, hostname: os.hostname() }));
    const r = await w.cli(['sync', '--json']);
    readState(w.statePath, (db) => releaseLease(db, 'sync', holder));
    expect(r.code).toBe(75);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'locked', holder: 'run-elsewhere', error: expect.stringContaining(`another masync run holds ${w.statePath} (run run-elsewhere, pid ${process.pid}`) });
  });
});
