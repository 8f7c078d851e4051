import { freePort, healthz } from '../support/free-port';
import { leases, runs } from '../support/state-file';
import { stoppableIo } from '../support/stoppable-io';
import { eventually, logLines, startWorld, type CliOutcome, type World } from '../support/sync-world';

const NEVER = '0 0 1 1 *';

/** Issue 5: the daemon runs one sync at a time, stops cleanly, and its probe tells a stuck or failing daemon from a healthy one. */
describe('the daemon', () => {
  let w: World;
  afterEach(() => w.stop());

  it('with --run-on-start and a tick every second during a slow run: one run at a time, and SIGTERM ends it cleanly (spawned)', async () => {
    w = await startWorld({ schedule: '* * * * * *', sink: { batchSize: 10 }, run: { concurrency: 1 } });
    w.servicenow.server.faults.inject({ method: 'POST', path: '/api/now/v1/batch', delayMs: 700, times: 100 });
    const port = await freePort();
    const daemon = w.spawn(['daemon', '--run-on-start', '--port', String(port)]);
    await eventually(() => (daemon.stderr().includes('the previous run is still going') ? true : undefined), 'a tick skipped during the first run');
    const during = await healthz(port);
    daemon.child.kill('SIGTERM');
    const r = await daemon.done;

    expect(r.code).toBe(0);
    expect(during?.body.running).toBe(true);
    const lines = logLines(r.stderr);
    expect(lines.filter((l) => 'unparsed' in l)).toEqual([]);
    expect(lines.some((l) => l.message === 'daemon stopped')).toBe(true);
    expect(lines.filter((l) => String(l.message).includes('scheduled run skipped: the previous run is still going')).length).toBeGreaterThan(0);
    // The run in flight was let finish its writes and was recorded: the state file was still open under it.
    expect(runs(w.statePath)).toEqual([expect.objectContaining({ status: 'interrupted', finishedAt: expect.any(String) })]);
    expect(leases(w.statePath)).toEqual([]);
    expect(lines.filter((l) => /database|not open/i.test(String(l.message)))).toEqual([]);
  });

  describe('/healthz (in process)', () => {
    async function daemonHealth(env: Record<string, string> = {}): Promise<{ health: { status: number; body: Record<string, unknown> }; port: number; stop: () => Promise<CliOutcome> }> {
      const port = await freePort();
      const io = stoppableIo({ ...w.env, ...env });
      const done = w.cli(['daemon', '--run-on-start', '--port', String(port)], { io });
      const health = await eventually(async () => {
        const h = await healthz(port);
        return h?.body.lastRun ? h : undefined;
      }, 'the start-up run');
      return {
        health,
        port,
        stop: async () => {
          io.softStop();
          const r = await done;
          expect(r.code).toBe(0);
          return r;
        },
      };
    }

    it('answers 503 after a failed run, after a blocked run, and once the last success is older than daemon.maxSuccessAgeSec; 200 otherwise', async () => {
      w = await startWorld({ schedule: NEVER, daemon: { maxSuccessAgeSec: 2 } });

      const failed = await daemonHealth({ MASYNC_TRUST_MLFLOW_TOKEN: 'revoked' });
      await failed.stop();
      expect(failed.health.status).toBe(503);
      expect(failed.health.body).toMatchObject({ status: 'unhealthy', problems: expect.arrayContaining(['the last run failed']), lastRun: { status: 'failed' } });

      const ok = await daemonHealth();
      expect(ok.health.status).toBe(200);
      expect(ok.health.body).toMatchObject({ status: 'ok', problems: [], lastRun: { status: 'ok' } });
      const stale = await eventually(async () => {
        const h = await healthz(ok.port);
        return h?.status === 503 ? h : undefined;
      }, 'the last success to age past 2 s');
      expect(stale.body.problems).toEqual([expect.stringMatching(/^no successful run for \d+ s \(more than 2 s\)$/)]);
      await ok.stop();

      w.mlflow.deleteVersion('churn-predictor', '1');
      w.configure({ schedule: NEVER, daemon: { maxSuccessAgeSec: 3600 }, guard: { maxRetireFraction: 0 } });
      const blocked = await daemonHealth();
      await blocked.stop();
      expect(blocked.health.status).toBe(503);
      expect(blocked.health.body).toMatchObject({ problems: ['the last run blocked'], lastRun: { status: 'blocked' } });
    });
  });
});
