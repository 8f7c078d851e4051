import cron from 'node-cron';
import type { ChangeSummary } from '../app/change-summary';
import type { RunBase } from '../app/run-env';
import { runLine } from '../app/run-text';
import type { Runtime } from '../app/runtime';
import { runSync, writesOf, type SyncOptions, type SyncResult } from '../app/sync-run';
import { describeError, LockedError } from '../errors';
import { LatestReport } from '../report/latest';
import { recentRuns } from '../state/runs';
import { DaemonMetrics } from './metrics';
import { healthOf, type HealthState } from './health';
import { startHealthServer } from './server';

export interface DaemonOptions {
  schedule: string;
  runOnStart: boolean;
  host: string;
  /** 0 turns the health/metrics server off. */
  port: number;
  /** /healthz fails when the last successful run is older than this; default three schedule intervals. */
  maxSuccessAgeSec?: number;
  sync: SyncOptions;
  /** Told the server's URL once it listens. */
  onListening?(url: string): void;
}

/**
 * Run syncs on a cron schedule until the stop signal, then let the run in
 * flight finish its writes and return. One run at a time: a tick that comes
 * while a run is going is skipped (and counted), whether the run came from
 * the schedule or from --run-on-start; across processes the state lease
 * does the same.
 */
export async function runDaemon(rt: Runtime, opts: DaemonOptions, base: RunBase): Promise<void> {
  const metrics = new DaemonMetrics();
  // A restarted daemon shows what the last recorded sync left open, not empty gauges until its first run.
  const last = recentRuns(rt.db, 20).find((r) => (r.summary as { change?: ChangeSummary } | undefined)?.change);
  if (last) metrics.recordGovernance((last.summary as { change: ChangeSummary }).change);
  const task = cron.createTask(opts.schedule, () => void launch('schedule'), { name: 'masync-sync' });
  const maxAgeSec = opts.maxSuccessAgeSec ?? defaultMaxAge(task.getNextRuns(6));
  const health: HealthState = { startedAt: rt.clock.now().toISOString(), running: false, maxSuccessAgeSec: maxAgeSec };
  const report = new LatestReport({ db: rt.db, clock: rt.clock, logger: base.logger, productionAliases: rt.loaded.config.policies.unservedProduction.productionAliases });
  if (opts.port > 0) report.refresh();
  const server =
    opts.port > 0 ? await startHealthServer({ host: opts.host, port: opts.port, metrics, health: () => healthOf(health, rt.clock.now()), report: () => report.current() }) : undefined;
  if (server) {
    base.logger.info(`report on ${server.url}/, health and metrics on ${server.url}/healthz and ${server.url}/metrics`);
    opts.onListening?.(server.url);
  }
  let current: Promise<void> | undefined;

  function launch(why: 'schedule' | 'start'): Promise<void> | undefined {
    if (base.stopping.aborted) return undefined;
    if (current) {
      metrics.recordSkipped();
      base.logger.warn(`${why === 'schedule' ? 'scheduled' : 'start-up'} run skipped: the previous run is still going`);
      return undefined;
    }
    current = tick().finally(() => (current = undefined));
    return current;
  }

  async function tick(): Promise<void> {
    health.running = true;
    try {
      const r = await runSync(rt, opts.sync, base);
      record(r);
    } catch (err) {
      if (err instanceof LockedError) {
        metrics.recordSkipped();
        base.logger.warn(`scheduled run skipped: ${err.message}`);
      } else {
        health.lastRun = { runId: '', status: 'failed', finishedAt: rt.clock.now().toISOString(), writes: 0, errors: 1 };
        base.logger.error(`scheduled run failed: ${describeError(err)}`);
      }
    } finally {
      health.running = false;
      // After any tick, even a skipped one: another process may have synced.
      if (server) report.refresh();
    }
  }

  function record(r: SyncResult): void {
    const finishedAt = rt.clock.now();
    metrics.recordRun(r, finishedAt);
    health.lastRun = { runId: r.runId, status: r.status, finishedAt: finishedAt.toISOString(), writes: writesOf(r.applied), errors: r.errors.length, planned: r.planned, applied: r.applied };
    if (r.status === 'ok' || r.status === 'partial') health.lastSuccessAt = finishedAt.toISOString();
    const log = r.status === 'ok' ? base.logger.info : base.logger.warn;
    log.call(base.logger, runLine(r), { errors: r.errors, notes: r.notes });
  }

  task.start();
  base.logger.info(`daemon started; schedule "${opts.schedule}", next run at ${task.getNextRun()?.toISOString() ?? 'never'}; /healthz fails after ${maxAgeSec} s without a successful run`);
  if (opts.runOnStart) void launch('start');

  await new Promise<void>((resolve) => {
    if (base.stopping.aborted) return resolve();
    base.stopping.addEventListener('abort', () => resolve(), { once: true });
  });
  base.logger.info('stopping: no new runs; waiting for the run in flight');
  await task.stop();
  await task.destroy();
  await current;
  await server?.close();
  base.logger.info('daemon stopped');
}

/** Three of the schedule's longest gaps: a missed run or two is not an alarm, a stuck daemon is. */
function defaultMaxAge(next: Date[]): number {
  let gap = 0;
  for (let i = 1; i < next.length; i++) gap = Math.max(gap, ((next[i] as Date).getTime() - (next[i - 1] as Date).getTime()) / 1000);
  return Math.round(3 * (gap || 3600));
}
