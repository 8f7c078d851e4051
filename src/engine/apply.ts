import pLimit from 'p-limit';
import { AuthError, describeError } from '../errors';
import { ITEM_KINDS } from '../inventory';
import type { PlanOp, RunContext, Sink, SinkWrite } from './types';

export interface ApplyHooks {
  /** Called as each write completes, before the next phase: journal it, remember the record. */
  onResult(op: PlanOp, outcome: { ok: true; id: string } | { ok: false; error: string }): void;
}

export interface ApplyInput {
  ops: readonly PlanOp[];
  sinks: ReadonlyMap<string, Sink>;
  /** Per sink: item key → sink record id, for every record that existed before this run. */
  ids: ReadonlyMap<string, Map<string, string>>;
  /** Writes in flight at once per run (each connector's HTTP layer also limits itself). */
  concurrency: number;
  hooks: ApplyHooks;
  ctx: RunContext;
}

export interface ApplyOutcome {
  writes: number;
  errors: string[];
  /** True when the run stopped early (credentials rejected, or interrupted). */
  aborted: boolean;
}

/**
 * Execute a plan: per sink, creates in dependency order (models, then
 * versions, then deployments), updates, relations, and retirements last.
 * One failed write does not stop the others, except a rejected credential,
 * which would fail every write after it.
 */
export async function applyPlan(input: ApplyInput): Promise<ApplyOutcome> {
  const limit = pLimit(input.concurrency);
  const out: ApplyOutcome = { writes: 0, errors: [], aborted: false };
  const phases = phasesOf(input.ops);
  const failedCreates = new Set<string>();
  input.ctx.progress.start('apply', input.ops.length);
  try {
    for (const phase of phases) {
      if (out.aborted) break;
      await Promise.all(
        phase.map((op) =>
          limit(async () => {
            if (out.aborted || input.ctx.signal.aborted) {
              out.aborted = true;
              return;
            }
            await applyOne(op, input, out, failedCreates);
            input.ctx.progress.tick();
          }),
        ),
      );
    }
  } finally {
    input.ctx.progress.done();
  }
  return out;
}

async function applyOne(op: PlanOp, input: ApplyInput, out: ApplyOutcome, failedCreates: Set<string>): Promise<void> {
  const sink = input.sinks.get(op.sink);
  const ids = input.ids.get(op.sink) ?? new Map<string, string>();
  const blockedBy = op.relation && [op.relation.parent, op.relation.child].find((k) => failedCreates.has(`${op.sink}\u0000${k}`));
  if (blockedBy) {
    // The failed create is already reported; its relations follow on the next run.
    input.ctx.logger.warn(`skipped ${op.op} ${op.relation?.type} for ${op.key}: ${blockedBy} was not created`);
    return;
  }
  try {
    if (!sink) throw new Error(`no sink named ${op.sink}`);
    const write = toWrite(op, ids);
    const result = await sink.apply(write, input.ctx);
    if (op.op === 'create') ids.set(op.key, result.id);
    out.writes++;
    input.hooks.onResult(op, { ok: true, id: result.id });
  } catch (err) {
    const message = `${op.op} ${op.kind} ${op.key} in ${op.sink}: ${describeError(err)}`;
    out.errors.push(message);
    input.ctx.logger.error(message);
    input.hooks.onResult(op, { ok: false, error: describeError(err) });
    if (op.op === 'create') failedCreates.add(`${op.sink}\u0000${op.key}`);
    if (err instanceof AuthError) out.aborted = true;
  }
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

/** Ops grouped into phases that must finish before the next starts. */
function phasesOf(ops: readonly PlanOp[]): PlanOp[][] {
  const phases: PlanOp[][] = [];
  for (const kind of ITEM_KINDS) phases.push(ops.filter((o) => o.op === 'create' && o.kind === kind));
  phases.push(ops.filter((o) => o.op === 'update'));
  phases.push(ops.filter((o) => o.op === 'relate'));
  phases.push(ops.filter((o) => o.op === 'unrelate'));
  for (const kind of [...ITEM_KINDS].reverse()) phases.push(ops.filter((o) => o.op === 'retire' && o.kind === kind));
  return phases.filter((p) => p.length > 0);
}
