import { randomBytes } from 'node:crypto';
import { applyPlan, type ApplyOutcome } from '../engine/apply';
import { append } from '../engine/reconcile';
import type { HeldBack, Plan, PlanSummary, Sink } from '../engine/types';
import { describeError } from '../errors';
import { capErrors } from './error-list';
import { withRunId } from '../log/logger';
import { journalCounts, unsettledCreates } from '../state/journal';
import { closeAbandonedRuns, finishRun, startRun, type RunStatus } from '../state/runs';
import { readCompletely, summarizeChange, type ChangeSummary } from './change-summary';
import { computePlan, type PlannedRun, type PlanOptions } from './compute-plan';
import { withLease } from './lease';
import { verifyPlanFile, type PlanFile } from './plan-file';
import { RunRecorder } from './record';
import { openRunEnv, type RunBase } from './run-env';
import type { Runtime } from './runtime';

export interface SyncOptions extends PlanOptions {
  allowMassRetire: boolean;
  /** Batches in flight at once; the config's `run.concurrency` when absent. */
  concurrency?: number;
  /** How long to wait for another run's lease before giving up; 0 refuses at once. */
  waitMs: number;
  /** Apply exactly this saved plan, or refuse when what it was made from has changed. */
  planFile?: PlanFile;
  /** Called with the plan before anything is applied: to show it, or to ask a person; false cancels. */
  beforeApply?(plan: Plan): Promise<boolean>;
}

export type SyncStatus = RunStatus | 'cancelled';

/** What was applied, from the journal: it can differ from the plan (failures, a stop). */
export interface AppliedCounts {
  create: number;
  update: number;
  retire: number;
  relate: number;
  unrelate: number;
  /** Writes that failed. */
  failed: number;
  /** Creates and relates whose outcome is still unknown; the next run settles them. */
  unknown: number;
  /** Planned writes never started (a stop, or a failed create they depended on). */
  skipped: number;
}

/** The `sync --json` contract (formatVersion 2), plus the plan for human output. */
export interface SyncResult {
  runId: string;
  status: SyncStatus;
  planned: PlanSummary;
  applied: AppliedCounts;
  errors: string[];
  notes: string[];
  held: HeldBack[];
  blocked?: string;
  /** Set when `--allow-mass-retire` let a mass retirement through. */
  massRetireAllowed?: string;
  plan?: Plan;
  /** What the run changed (writes, registry, findings, cost, maturity); set once it recorded its state. */
  change?: ChangeSummary;
  durationMs: number;
}

export const NO_CHANGES: PlanSummary = { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0, unchanged: 0 };

/** One sync: lease, read, guard, (confirm,) apply, record. Never throws for a failure inside the run: it reports it. */
export async function runSync(rt: Runtime, opts: SyncOptions, base: RunBase): Promise<SyncResult> {
  const runId = newRunId(rt.clock.now());
  return withRunId(runId, () =>
    withLease(rt, runId, opts.waitMs, base.signal, async (signal) => {
      const started = Date.now();
      const now = () => rt.clock.now().toISOString();
      for (const r of closeAbandonedRuns(rt.db, runId, now())) rt.logger.warn(`run ${r.id} (started ${r.startedAt}) never finished; recorded as interrupted`);
      const seq = startRun(rt.db, { id: runId, command: 'sync', startedAt: now(), pid: process.pid, host: rt.hostname });
      const result: SyncResult = { runId, status: 'failed', planned: NO_CHANGES, applied: emptyApplied(), errors: [], notes: [], held: [], durationMs: 0 };
      const env = openRunEnv(rt, { ...base, signal, logger: base.logger });
      try {
        const planned = await computePlan(rt, env, opts);
        const { plan } = planned;
        Object.assign(result, { plan, planned: plan.summary, notes: plan.notes, held: plan.held });
        append(result.errors, readErrors(planned));
        if (opts.planFile) verifyPlanFile(opts.planFile, rt, planned, opts);
        // Nothing to read from, or nothing to write to: the run failed as a whole.
        if ((planned.reads.length > 0 && planned.reads.every((r) => !r.ok)) || planned.sinks.length === 0) return (result.status = 'failed'), result;
        if (plan.blocked && !opts.allowMassRetire) {
          result.status = 'blocked';
          // Re-running with --allow-mass-retire alone would let the short-read guard hold everything back again.
          const accepted = opts.acceptShortRead?.length ? `--accept-short-read ${opts.acceptShortRead.join(' ')} ` : '';
          result.blocked = `${plan.blocked}; nothing was applied. Re-run with ${accepted}--allow-mass-retire if that is intended`;
          return result;
        }
        if (plan.blocked) result.massRetireAllowed = `${plan.blocked}; applied because --allow-mass-retire was given`;
        if (base.stopping.aborted) return (result.status = 'interrupted'), result;
        if (opts.beforeApply && !(await opts.beforeApply(overridden(plan)))) return (result.status = 'cancelled'), result;
        let unsettled: Map<string, string> | undefined;
        const recorder = new RunRecorder(rt.db, rt.redactor, env, { id: runId, seq }, planned, now, rt.loaded.config.state.keepCreatePayloadDays);
        const outcome = await applyPlan({
          ops: plan.ops,
          sinks: new Map<string, Sink>(rt.sinks.map((h) => [h.sink.name, h.sink])),
          ids: new Map([...planned.matched].map(([sink, byKey]) => [sink, new Map([...byKey].map(([key, m]) => [key, m.record.id]))])),
          concurrency: opts.concurrency ?? rt.loaded.config.run.concurrency,
          hooks: recorder,
          ctxOf: env.ctxOf,
          settle: settlePolicy(rt.loaded.config.run.settleSec),
          sentBefore: (sink, key) => {
            // Read at the first create: a run that creates nothing never asks.
            unsettled ??= unsettledCreates(rt.db, env.keys);
            const at = unsettled.get(`${sink}\u0000${key}`);
            return at === undefined ? undefined : Date.parse(at);
          },
          now: () => rt.clock.now().getTime(),
        });
        recorder.finish();
        const { policies } = rt.loaded.config;
        result.change = summarizeChange(rt.db, { seq, at: recorder.recordedAt ?? now(), items: planned.items, findings: recorder.findingCounts, complete: readCompletely(planned, rt.sources.length), productionAliases: policies.productionAliases });
        result.applied = applied(rt, seq, outcome);
        append(result.errors, outcome.errors);
        result.status = statusOf(result, planned, rt.sinks.length, outcome, base.stopping.aborted || signal.aborted);
        if (outcome.aborted && result.status !== 'interrupted') result.errors.push('apply stopped early; the next run picks up what is left');
        return result;
      } catch (err) {
        result.status = 'failed';
        result.errors.push(describeError(err));
        return result;
      } finally {
        result.errors = capErrors(result.errors).map((e) => rt.redactor.redact(e));
        result.durationMs = Date.now() - started;
        if (result.applied === undefined) result.applied = emptyApplied();
        finishRun(rt.db, {
          id: runId,
          finishedAt: now(),
          status: result.status === 'cancelled' ? 'blocked' : result.status,
          summary: { planned: result.planned, applied: result.applied, ...(result.change ? { change: result.change } : {}) },
          errors: result.errors,
          notes: [...result.notes, ...(result.massRetireAllowed ? [result.massRetireAllowed] : []), ...(result.status === 'cancelled' ? ['cancelled at the confirmation prompt; nothing was applied'] : [])],
        });
      }
    }),
  );
}

/** The plan as a person about to apply it sees it: a block that --allow-mass-retire lifts is shown as the override it is. */
function overridden(plan: Plan): Plan {
  if (!plan.blocked) return plan;
  const { blocked, ...rest } = plan;
  return { ...rest, massRetireAllowed: `${blocked}; --allow-mass-retire lets it through` };
}

function readErrors(planned: PlannedRun): string[] {
  const out: string[] = [];
  for (const r of planned.reads) {
    if (!r.ok) out.push(`source ${r.source}: ${r.error ?? 'failed'}`);
    for (const [scope, error] of r.failedScopes) out.push(`source ${r.source} scope ${scope}: ${error}`);
  }
  append(out, planned.sinkErrors);
  append(out, planned.enrichment.errors);
  return out;
}

/** partial: something planned did not happen, or a guard held something back; the run did not do everything it should. */
function statusOf(r: SyncResult, planned: PlannedRun, sinkCount: number, outcome: ApplyOutcome, stopped: boolean): RunStatus {
  if (stopped) return 'interrupted';
  const sinkProblems = planned.sinks.length < sinkCount || planned.sinks.some((s) => s.read.suspect !== undefined || s.read.relationsSuspect !== undefined);
  if (r.errors.length || r.held.length || outcome.unknown || outcome.skipped || sinkProblems) return 'partial';
  return 'ok';
}

function applied(rt: Runtime, seq: number, outcome: ApplyOutcome): AppliedCounts {
  const out = emptyApplied();
  for (const row of journalCounts(rt.db, seq)) {
    if (row.result === 'ok' && row.op in out) out[row.op as keyof PlanSummary & keyof AppliedCounts] += row.n;
    else if (row.result === 'error') out.failed += row.n;
    else if (row.result === 'unknown') out.unknown += row.n;
  }
  out.skipped = outcome.skipped;
  return out;
}

function emptyApplied(): AppliedCounts {
  return { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0, failed: 0, unknown: 0, skipped: 0 };
}

function settlePolicy(settleSec: number) {
  const wait = settleSec * 1000;
  return {
    waitsMs: [wait, wait * 2],
    sleep: (ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const onAbort = () => (clearTimeout(t), reject(signal.reason));
        // The run's signal outlives every wait: a listener left behind per unknown write would pile up.
        const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

/** Landed writes of a run. */
export function writesOf(a: AppliedCounts): number {
  return a.create + a.update + a.retire + a.relate + a.unrelate;
}

function newRunId(at: Date): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}
