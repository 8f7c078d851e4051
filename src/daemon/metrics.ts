import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChangeSummary } from '../app/change-summary';
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
  private readonly findings = new Gauge({ name: 'masync_findings', help: 'Open findings after the last recorded run, by type and severity', labelNames: ['type', 'severity'], registers: [this.registry] });
  private readonly waste = new Gauge({ name: 'masync_monthly_waste', help: 'Money a month the open findings waste, by finding type and currency', labelNames: ['type', 'currency'], registers: [this.registry] });
  private readonly maturity = new Gauge({ name: 'masync_maturity_score', help: 'Share of production models fully governed (0-1), per source and overall (source="all")', labelNames: ['source'], registers: [this.registry] });

  recordRun(r: SyncResult, finishedAt: Date): void {
    this.runs.inc({ status: r.status });
    this.duration.observe(r.durationMs / 1000);
    for (const op of ['create', 'update', 'retire', 'relate', 'unrelate', 'unchanged'] as const) this.planned.set({ op }, r.planned[op]);
    for (const op of ['create', 'update', 'retire', 'relate', 'unrelate', 'failed', 'unknown', 'skipped'] as const) this.applied.set({ op }, r.applied[op]);
    for (const op of ['create', 'update', 'retire', 'relate', 'unrelate'] as const) this.writes.inc({ op }, r.applied[op]);
    this.lastRun.set({ status: r.status }, finishedAt.getTime() / 1000);
    this.errors.set(r.errors.length);
    this.held.set(r.held.length);
    if (r.change) this.recordGovernance(r.change);
  }

  /** Findings, waste and maturity as the run left them; series of types that cleared go away (absent means none open). */
  recordGovernance(c: ChangeSummary): void {
    this.findings.reset();
    this.waste.reset();
    for (const f of c.findings.open) {
      this.findings.inc({ type: f.type, severity: f.severity }, f.count);
      if (f.monthlyWaste > 0) this.waste.inc({ type: f.type, currency: f.currency ?? 'USD' }, f.monthlyWaste);
    }
    this.maturity.reset();
    if (c.maturity.overall.total > 0) this.maturity.set({ source: 'all' }, c.maturity.overall.score);
    for (const s of c.maturity.bySource) this.maturity.set({ source: s.source }, s.score);
  }

  recordSkipped(): void {
    this.skipped.inc();
  }
}
