import cron from 'node-cron';
import { runLine, runSync, type SyncOptions } from '../app/sync-run';
import type { Runtime } from '../app/runtime';
import type { RunContext } from '../engine/types';
import { describeError, LockedError } from '../errors';
import { DaemonMetrics } from './metrics';
import { startHealthServer, type HealthState } from './server';

export interface DaemonOptions {
  schedule: string;
  runOnStart: boolean;
  host: string;
  /** 0 turns the health/metrics server off. */
  port: number;
  sync: SyncOptions;
  /** Told the server's URL once it listens. */
  onListening?(url: string): void;
}

/**
 * Run syncs on a cron schedule until the context's signal aborts, then let
 * the run in flight finish its writes and return. Overlap is prevented twice:
 * within this process by the scheduler, across processes by the state lease.
 */
export async function runDaemon(rt: Runtime, opts: DaemonOptions, ctx: RunContext): Promise<void> {
  const metrics = new DaemonMetrics();
  const health: HealthState = { startedAt: rt.clock.now().toISOString(), running: false };
  const server = opts.port > 0 ? await startHealthServer({ host: opts.host, port: opts.port, metrics, health: () => health }) : undefined;
  if (server) {
    ctx.logger.info(`health and metrics on ${server.url}/healthz and ${server.url}/metrics`);
    opts.onListening?.(server.url);
  }
  let current: Promise<void> = Promise.resolve();

  const tick = async () => {
    if (ctx.signal.aborted) return;
    health.running = true;
    try {
      const r = await runSync(rt, opts.sync, ctx);
      const finishedAt = rt.clock.now();
      metrics.recordRun(r, finishedAt);
      health.lastRun = { runId: r.runId, status: r.status, finishedAt: finishedAt.toISOString(), writes: r.writes, errors: r.errors.length };
      const log = r.status === 'ok' ? ctx.logger.info : ctx.logger.warn;
      log.call(ctx.logger, runLine(r), { errors: r.errors });
    } catch (err) {
      if (err instanceof LockedError) {
        metrics.recordSkipped();
        ctx.logger.warn(`scheduled run skipped: ${err.message}`);
      } else {
        ctx.logger.error(`scheduled run failed: ${describeError(err)}`);
      }
    } finally {
      health.running = false;
    }
  };
  const launch = () => {
    current = tick();
    return current;
  };

  const task = cron.schedule(opts.schedule, launch, { name: 'masync-sync', noOverlap: true });
  ctx.logger.info(`daemon started; schedule "${opts.schedule}", next run at ${task.getNextRun()?.toISOString() ?? 'never'}`);
  if (opts.runOnStart) void launch();

  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  ctx.logger.info('stopping: no new runs; waiting for the run in flight');
  await task.stop();
  await task.destroy();
  await current;
  await server?.close();
  ctx.logger.info('daemon stopped');
}
