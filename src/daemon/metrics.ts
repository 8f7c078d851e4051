import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SyncResult } from '../app/sync-run';

/** The daemon's Prometheus metrics, on their own registry (no global state). */
export class DaemonMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({ name: 'masync_runs_total', help: 'Sync runs by final status', labelNames: ['status'], registers: [this.registry] });
  private readonly skipped = new Counter({ name: 'masync_runs_skipped_total', help: 'Scheduled runs skipped because another run was still going', registers: [this.registry] });
  private readonly duration = new Histogram({ name: 'masync_run_duration_seconds', help: 'Wall time of a sync run', buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800], registers: [this.registry] });
  private readonly writes = new Counter({ name: 'masync_writes_total', help: 'Writes that landed in sinks, by operation', labelNames: ['op'], registers: [this.registry] });
  private readonly planned = new Gauge({ name: 'masync_last_run_planned_ops', help: 'Operations the last run planned, by kind', labelNames: ['op'], registers: [this.registry] });
  private readonly applied = new Gauge({ name: 'masync_last_run_applied_ops', help: 'Operations the last run applied (from the journal), by kind and failures', labelNames: ['op'], registers: [this.registry] });
  private readonly lastRun = new Gauge({ name: 'masync_last_run_timestamp_seconds', help: 'When the last run of each status finished', labelNames: ['status'], registers: [this.registry] });
  private readonly errors = new Gauge({ name: 'masync_last_run_errors', help: 'Errors in the last run', registers: [this.registry] });
  private readonly held = new Gauge({ name: 'masync_last_run_held_back', help: 'Guards that held retirements back in the last run', registers: [this.registry] });

  recordRun(r: SyncResult, finishedAt: Date): void {
    this.runs.inc({ status: r.status });
    this.duration.observe(r.durationMs / 1000);
    for (const op of ['create', 'update', 'retire', 'relate', 'unrelate', 'unchanged'] as const) this.planned.set({ op }, r.planned[op]);
    for (const op of ['create', 'update', 'retire', 'relate', 'unrelate', 'failed', 'unknown', 'skipped'] as const) this.applied.set({ op }, r.applied[op]);
    for (const op of ['create', 'update', 'retire', 'relate', 'unrelate'] as const) this.writes.inc({ op }, r.applied[op]);
    this.lastRun.set({ status: r.status }, finishedAt.getTime() / 1000);
    this.errors.set(r.errors.length);
    this.held.set(r.held.length);
  }

  recordSkipped(): void {
    this.skipped.inc();
  }
}
