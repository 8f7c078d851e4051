import pLimit from 'p-limit';
import { describeError } from '../errors';
import { ride, settleCarried, skipCarried, type ApplyRun, type Ready } from './apply-carried';
import { phasesOf } from './apply-phases';
import { outcomeOf, send } from './apply-send';
import { CreateOp } from './create-op';
import { settleEarlier, type SettlePolicy } from './settle';
import type { CreateWrite, PlanOp, RunContext, Sink, SinkWrite, WriteResult } from './types';

/** What became of one planned write. `unknown`: sent, not known to have landed; the next run settles it. */
export type OpOutcome = { result: 'ok'; id: string; how?: 'landed' | 'resent' } | { result: 'error' | 'unknown'; error: string };

export interface ApplyHooks {
  /** Called with each batch's outcomes as they complete, before the next phase: journal them, remember the records. */
  onResults(results: ReadonlyArray<{ op: PlanOp; outcome: OpOutcome }>): void;
  /** Called with a batch's inserts (creates, relates) just before they are sent: a process that dies waiting leaves a record of them. */
  onSend?(ops: ReadonlyArray<PlanOp>): void;
}

export interface ApplyInput {
  ops: readonly PlanOp[];
  sinks: ReadonlyMap<string, Sink>;
  /** Per sink: item key → sink record id, for every record that existed before this run. */
  ids: ReadonlyMap<string, Map<string, string>>;
  /** Batches (or single writes) in flight at once per run (each connector's HTTP layer also limits itself). */
  concurrency: number;
  hooks: ApplyHooks;
  /** The run's context for each sink. */
  ctxOf(sink: string): RunContext;
  settle: SettlePolicy;
  /** When an earlier run sent a create of this key without learning its outcome (ms since the epoch): looked for before it is sent again. */
  sentBefore?(sink: string, key: string): number | undefined;
  /** The clock those waits are counted on; Date.now by default. */
  now?(): number;
}

export interface ApplyOutcome {
  /** Writes that landed. */
  writes: number;
  errors: string[];
  /** Creates and relates still unsettled at the end of the run. */
  unknown: number;
  /** Planned writes never started: the run stopped, or what they depend on failed. */
  skipped: number;
  /** Credentials were rejected, or a stop signal came: the run ended early. */
  aborted: boolean;
}

/**
 * Execute a plan in as few phases as the writes' dependencies allow (see
 * `phasesOf`), in batches where the sink takes them. One failed write does
 * not stop the others, except a rejected credential. A stop signal starts
 * nothing new and lets what is in flight finish and be journalled.
 */
export async function applyPlan(input: ApplyInput): Promise<ApplyOutcome> {
  const limit = pLimit(input.concurrency);
  const out: ApplyOutcome = { writes: 0, errors: [], unknown: 0, skipped: 0, aborted: false };
  const { phases, carried } = phasesOf(input.ops, input.sinks, input.ids);
  const run: ApplyRun = { input, out, failedCreates: new Set<string>(), carried };
  const stopped = () => out.aborted || [...input.sinks.keys()].some((s) => input.ctxOf(s).stopping.aborted);
  for (const phase of phases) {
    const units = unitsOf(phase, input.sinks);
    await Promise.all(
      units.map((unit) =>
        limit(async () => {
          if (stopped()) {
            out.aborted = true;
            out.skipped += unit.reduce((n, op) => n + 1 + (carried.get(op)?.length ?? 0), 0);
            return;
          }
          await applyUnit(unit, run);
        }),
      ),
    );
  }
  return out;
}

/** A batch of one sink's writes of one phase (one write for sinks without batches). */
function unitsOf(phase: readonly PlanOp[], sinks: ReadonlyMap<string, Sink>): PlanOp[][] {
  const bySink = new Map<string, PlanOp[]>();
  for (const op of phase) {
    const list = bySink.get(op.sink);
    if (list) list.push(op);
    else bySink.set(op.sink, [op]);
  }
  const units: PlanOp[][] = [];
  for (const [name, ops] of bySink) {
    const sink = sinks.get(name);
    const size = sink?.applyBatch ? Math.max(1, sink.batchSize ?? 1) : 1;
    for (let i = 0; i < ops.length; i += size) units.push(ops.slice(i, i + size));
  }
  return units;
}

async function applyUnit(unit: PlanOp[], run: ApplyRun): Promise<void> {
  const { input, out, failedCreates } = run;
  const sinkName = (unit[0] as PlanOp).sink;
  const sink = input.sinks.get(sinkName);
  const ctx = input.ctxOf(sinkName);
  const ids = input.ids.get(sinkName) ?? new Map<string, string>();
  const ready: Ready[] = [];
  for (const op of unit) {
    const blockedBy = op.relation && [op.relation.parent, op.relation.child].find((k) => failedCreates.has(`${sinkName}\u0000${k}`));
    if (blockedBy) {
      // The failed or unsettled create is already reported; its relations follow on the next run.
      ctx.logger.warn(`skipped ${op.op} ${op.relation?.type} for ${op.key}: ${blockedBy} was not created`);
      out.skipped++;
      continue;
    }
    try {
      if (!sink) throw new Error(`no sink named ${sinkName}`);
      const write = toWrite(op, ids);
      ready.push({ op, write, riding: write.op === 'create' ? ride(op, write, run, ctx, ids) : [], announced: false });
    } catch (err) {
      record(out, ctx, op, { result: 'error', error: describeError(err) }, failedCreates);
      input.hooks.onResults([{ op, outcome: { result: 'error', error: describeError(err) } }]);
      skipCarried(op, run, ctx);
    }
  }
  if (!sink || ready.length === 0) return;

  const outcomes: Array<{ op: PlanOp; outcome: OpOutcome }> = [];
  const settled = (op: PlanOp, outcome: OpOutcome) => {
    if (outcome.result === 'ok' && op.op === 'create') ids.set(op.key, outcome.id);
    record(out, ctx, op, outcome, failedCreates);
    outcomes.push({ op, outcome });
  };
  const toSend = await lookBeforeResending(sink, ready, input, ctx);
  if (toSend.length > 0) await sendAndSettle(sink, toSend, run, ctx);
  for (const r of ready) settled(r.op, r.outcome as OpOutcome);
  await Promise.all(ready.map((r) => settleCarried(sink, r, run, ctx, settled)));
  input.hooks.onResults(outcomes);
}

/** Creates an earlier run left unsettled are looked for first; what is found is settled, the rest is returned to send. */
async function lookBeforeResending(sink: Sink, ready: Ready[], input: ApplyInput, ctx: RunContext): Promise<Ready[]> {
  const checked = await Promise.all(
    ready.map(async (r) => {
      const sentAt = r.write.op === 'create' ? input.sentBefore?.(r.op.sink, r.op.key) : undefined;
      if (sentAt === undefined) return r;
      const found = await settleEarlier(sink, r.write as CreateWrite, sentAt, (input.now ?? Date.now)(), ctx, input.settle);
      if (found === undefined) return r;
      r.outcome = found;
      return undefined;
    }),
  );
  return checked.filter((r): r is Ready => r !== undefined);
}

async function sendAndSettle(sink: Sink, ready: Ready[], run: ApplyRun, ctx: RunContext): Promise<void> {
  // A relate a create carries is journalled as sent with it: both go in the one request.
  run.input.hooks.onSend?.(ready.flatMap((r) => (r.write.op === 'create' || r.write.op === 'relate' ? [r.op, ...r.riding.map((x) => x.op)] : [])));
  for (const r of ready) r.announced = true;
  const results = await send(sink, ready.map((r) => r.write), ctx);
  await Promise.all(
    ready.map(async (r, i) => {
      const result = results[i] as WriteResult;
      r.outcome = await outcomeOf(sink, r.op, r.write, result, run, ctx);
      if (result.ok && result.references?.length === r.riding.length) r.carriedOutcomes = result.references;
    }),
  );
}

function record(out: ApplyOutcome, ctx: RunContext, op: PlanOp, outcome: OpOutcome, failedCreates: Set<string>): void {
  if (outcome.result === 'ok') {
    out.writes++;
    if (outcome.how) ctx.logger.info(`${op.sink}: ${op.op} ${op.key} ${outcome.how === 'landed' ? 'had landed after all' : 'was sent once more after it was found absent'} (${outcome.id})`);
    return;
  }
  const message = `${op.op} ${op.kind} ${op.key} in ${op.sink}: ${outcome.error}`;
  if (outcome.result === 'unknown') out.unknown++;
  out.errors.push(outcome.result === 'unknown' ? `${message} (outcome unknown; the next run looks for it before doing anything)` : message);
  ctx.logger.error(message);
  if (op.op === 'create') failedCreates.add(`${op.sink}\u0000${op.key}`);
}

function toWrite(op: PlanOp, ids: ReadonlyMap<string, string>): SinkWrite {
  const to = (): Record<string, string> => Object.fromEntries(Object.entries(op.changes).map(([f, c]) => [f, c.to ?? '']));
  switch (op.op) {
    case 'create':
      // A planned create holds its values already; its changes are derived from them.
      return { op: 'create', class: required(op.class, 'class'), key: op.key, fields: op instanceof CreateOp ? { ...op.values } : to() };
    case 'update':
    case 'retire':
      return { op: op.op, class: required(op.class, 'class'), key: op.key, id: required(op.id, 'id'), fields: to() };
    case 'relate': {
      const rel = required(op.relation, 'relation');
      const parentId = ids.get(rel.parent);
      const childId = ids.get(rel.child);
      if (!parentId || !childId) throw new Error(`cannot relate: ${!parentId ? rel.parent : rel.child} has no record (its create failed?)`);
      return { op: 'relate', type: rel.type, parentId, childId, holder: rel.holder };
    }
    case 'unrelate':
      return { op: 'unrelate', id: required(op.id, 'id') };
  }
}

function required<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`plan op lacks ${what}`);
  return v;
}
