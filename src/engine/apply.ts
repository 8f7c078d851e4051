import pLimit from 'p-limit';
import { AuthError, describeError, OutcomeUnknownError } from '../errors';
import { ITEM_KINDS } from '../inventory';
import { settleEarlier, settleUnknown, type SettlePolicy } from './settle';
import type { CreateWrite, PlanOp, RelateWrite, RunContext, Sink, SinkWrite, WriteResult } from './types';

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
  const failedCreates = new Set<string>();
  const stopped = () => out.aborted || [...input.sinks.keys()].some((s) => input.ctxOf(s).stopping.aborted);
  for (const phase of phasesOf(input.ops, input.sinks)) {
    const units = unitsOf(phase, input.sinks);
    await Promise.all(
      units.map((unit) =>
        limit(async () => {
          if (stopped()) {
            out.aborted = true;
            out.skipped += unit.length;
            return;
          }
          await applyUnit(unit, input, out, failedCreates);
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

async function applyUnit(unit: PlanOp[], input: ApplyInput, out: ApplyOutcome, failedCreates: Set<string>): Promise<void> {
  const sinkName = (unit[0] as PlanOp).sink;
  const sink = input.sinks.get(sinkName);
  const ctx = input.ctxOf(sinkName);
  const ids = input.ids.get(sinkName) ?? new Map<string, string>();
  const ready: Array<{ op: PlanOp; write: SinkWrite }> = [];
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
      ready.push({ op, write: toWrite(op, ids) });
    } catch (err) {
      record(out, ctx, op, { result: 'error', error: describeError(err) }, failedCreates);
      input.hooks.onResults([{ op, outcome: { result: 'error', error: describeError(err) } }]);
    }
  }
  if (!sink || ready.length === 0) return;

  const outcomes: Array<{ op: PlanOp; outcome: OpOutcome }> = [];
  const settled = (op: PlanOp, outcome: OpOutcome) => {
    if (outcome.result === 'ok' && op.op === 'create') ids.set(op.key, outcome.id);
    record(out, ctx, op, outcome, failedCreates);
    outcomes.push({ op, outcome });
  };
  const toSend = await lookBeforeResending(sink, ready, input, ctx, settled);
  if (toSend.length > 0) await sendAndSettle(sink, toSend, input, ctx, out, settled);
  input.hooks.onResults(outcomes);
}

/** Creates an earlier run left unsettled are looked for first; what is found is settled, the rest is returned to send. */
async function lookBeforeResending(
  sink: Sink,
  ready: Array<{ op: PlanOp; write: SinkWrite }>,
  input: ApplyInput,
  ctx: RunContext,
  settled: (op: PlanOp, outcome: OpOutcome) => void,
): Promise<Array<{ op: PlanOp; write: SinkWrite }>> {
  const checked = await Promise.all(
    ready.map(async (r) => {
      const sentAt = r.write.op === 'create' ? input.sentBefore?.(r.op.sink, r.op.key) : undefined;
      if (sentAt === undefined) return r;
      const found = await settleEarlier(sink, r.write as CreateWrite, sentAt, (input.now ?? Date.now)(), ctx, input.settle);
      if (found === undefined) return r;
      settled(r.op, found);
      return undefined;
    }),
  );
  return checked.filter((r): r is { op: PlanOp; write: SinkWrite } => r !== undefined);
}

async function sendAndSettle(
  sink: Sink,
  ready: Array<{ op: PlanOp; write: SinkWrite }>,
  input: ApplyInput,
  ctx: RunContext,
  out: ApplyOutcome,
  settled: (op: PlanOp, outcome: OpOutcome) => void,
): Promise<void> {
  const sinkName = sink.name;
  input.hooks.onSend?.(ready.filter((r) => r.write.op === 'create' || r.write.op === 'relate').map((r) => r.op));
  const results = await send(sink, ready.map((r) => r.write), ctx);
  await Promise.all(
    ready.map(async ({ op, write }, i) => {
      const r = results[i] as WriteResult;
      let outcome: OpOutcome;
      if (r.ok) outcome = { result: 'ok', id: r.id };
      else if (r.unknown && (write.op === 'create' || write.op === 'relate')) {
        ctx.logger.warn(`${sinkName}: ${op.op} ${op.key}: outcome unknown (${describeError(r.error)}); looking for it before anything is sent again`);
        outcome = await settleUnknown(sink, write as CreateWrite | RelateWrite, ctx, input.settle);
      } else outcome = { result: 'error', error: describeError(r.error) };
      if (!r.ok && r.error instanceof AuthError) out.aborted = true;
      settled(op, outcome);
    }),
  );
}

/** One round trip: the sink's batch call, or its single write; every failure becomes a per-write result. */
async function send(sink: Sink, writes: SinkWrite[], ctx: RunContext): Promise<WriteResult[]> {
  if (sink.applyBatch && writes.length > 0 && (sink.batchSize ?? 1) > 1) {
    try {
      return await sink.applyBatch(writes, ctx);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      return writes.map(() => ({ ok: false, error, unknown: err instanceof OutcomeUnknownError }));
    }
  }
  return Promise.all(
    writes.map(async (w): Promise<WriteResult> => {
      try {
        return { ok: true, id: (await sink.apply(w, ctx)).id };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err : new Error(String(err)), unknown: err instanceof OutcomeUnknownError || ctx.signal.aborted };
      }
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
      return { op: 'create', class: required(op.class, 'class'), key: op.key, fields: to() };
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

/** The order ops take within a phase, so batches fill with creates first (models, then versions, then deployments) and retirements last. */
const ORDER: ReadonlyArray<(o: PlanOp) => boolean> = [
  ...ITEM_KINDS.map((kind) => (o: PlanOp) => o.op === 'create' && o.kind === kind),
  (o) => o.op === 'update',
  (o) => o.op === 'relate',
  (o) => o.op === 'unrelate',
  ...[...ITEM_KINDS].reverse().map((kind) => (o: PlanOp) => o.op === 'retire' && o.kind === kind),
];

/**
 * Ops grouped into phases that must finish before the next starts: each
 * phase is a round trip (or a few, by batch and concurrency) on the apply's
 * critical path, so a write waits for another only when it needs its result.
 * No record's write needs another record's id (relations are written on
 * their own), so every create, update and retire goes first, at once. Then,
 * per sink, by how it stores relations:
 * - rows (ServiceNow cmdb_rel_ci): a relation is a row of its own, so it goes
 *   in the first phase too, unless an end is created in this run (it needs
 *   that id): those follow in a second.
 * - references (Jira Assets): a relation is an edit of its holder record, so
 *   every relation waits for the record writes (two writes to one object at
 *   once could undo one another).
 */
function phasesOf(ops: readonly PlanOp[], sinks: ReadonlyMap<string, Sink>): PlanOp[][] {
  const created = new Set<string>();
  for (const o of ops) if (o.op === 'create') created.add(`${o.sink}\u0000${o.key}`);
  const phaseOf = (o: PlanOp): number => {
    if (o.op !== 'relate' && o.op !== 'unrelate') return 0;
    if (sinks.get(o.sink)?.relationStorage === 'references') return 1;
    const rel = o.relation;
    return o.op === 'relate' && rel && [rel.parent, rel.child].some((k) => created.has(`${o.sink}\u0000${k}`)) ? 1 : 0;
  };
  const phases: PlanOp[][] = [[], []];
  for (const matches of ORDER) for (const o of ops) if (matches(o)) phases[phaseOf(o)]?.push(o);
  return phases.filter((p) => p.length > 0);
}
