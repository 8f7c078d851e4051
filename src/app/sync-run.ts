import { randomBytes } from 'node:crypto';
import { applyPlan } from '../engine/apply';
import type { Plan, RunContext, Sink } from '../engine/types';
import { describeError } from '../errors';
import { finishRun, startRun, type RunStatus } from '../state/runs';
import { computePlan, type PlanOptions } from './compute-plan';
import { withLease } from './lease';
import { RunRecorder } from './record';
import type { Runtime } from './runtime';

export interface SyncOptions extends PlanOptions {
  allowMassRetire: boolean;
  /** Writes in flight at once. */
  concurrency: number;
  /** How long to wait for another run's lease before giving up; 0 refuses at once. */
  waitMs: number;
}

/** The `sync --json` contract, plus the plan for human output. */
export interface SyncResult {
  runId: string;
  status: RunStatus;
  summary: Plan['summary'];
  writes: number;
  errors: string[];
  plan?: Plan;
  durationMs: number;
}

/** One sync: lease, read, plan, apply, record. Never throws for a failure inside the run: it reports it. */
export async function runSync(rt: Runtime, opts: SyncOptions, ctx: RunContext): Promise<SyncResult> {
  const runId = newRunId(rt.clock.now());
  return withLease(rt, runId, opts.waitMs, ctx, async (leaseCtx) => {
    const started = Date.now();
    const now = () => rt.clock.now().toISOString();
    startRun(rt.db, { id: runId, command: 'sync', startedAt: now() });
    const result: SyncResult = { runId, status: 'failed', summary: { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0, unchanged: 0 }, writes: 0, errors: [], durationMs: 0 };
    try {
      const planned = await computePlan(rt, opts, leaseCtx);
      const { plan } = planned;
      result.plan = plan;
      result.summary = plan.summary;
      result.errors.push(...planned.reads.filter((r) => !r.ok).map((r) => `source ${r.source}: ${r.error}`));
      if (planned.reads.every((r) => !r.ok)) {
        result.status = 'failed';
        return result;
      }
      if (plan.blocked && !opts.allowMassRetire) {
        result.status = 'blocked';
        result.errors.push(plan.blocked);
        return result;
      }
      const recorder = new RunRecorder(rt.db, rt.redactor, runId, planned, now);
      const outcome = await applyPlan({
        ops: plan.ops,
        sinks: new Map<string, Sink>(rt.sinks.map((h) => [h.sink.name, h.sink])),
        ids: new Map([...planned.matched].map(([sink, byKey]) => [sink, new Map([...byKey].map(([key, m]) => [key, m.record.id]))])),
        concurrency: opts.concurrency,
        hooks: recorder,
        ctx: leaseCtx,
      });
      recorder.finish();
      result.writes = outcome.writes;
      result.errors.push(...outcome.errors);
      if (outcome.aborted) result.errors.push('apply stopped early; the next run picks up what is left');
      result.status = result.errors.length ? 'partial' : 'ok';
      return result;
    } catch (err) {
      result.status = 'failed';
      result.errors.push(describeError(err));
      return result;
    } finally {
      result.errors = result.errors.map((e) => rt.redactor.redact(e));
      result.durationMs = Date.now() - started;
      finishRun(rt.db, { id: runId, finishedAt: now(), status: result.status, summary: { ...result.summary, writes: result.writes }, errors: result.errors });
    }
  });
}

/** `20 created, 0 updated, 0 retired, 0 unchanged; 35 write(s)`: how every command and log line tells a run's counts. */
export function countsText(s: Plan['summary'], writes: number): string {
  return `${s.create} created, ${s.update} updated, ${s.retire} retired, ${s.unchanged} unchanged; ${writes} write(s)`;
}

/** One line for a finished run. */
export function runLine(r: SyncResult): string {
  return `run ${r.runId}: ${r.status} — ${countsText(r.summary, r.writes)} in ${(r.durationMs / 1000).toFixed(2)} s`;
}

function newRunId(at: Date): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}
