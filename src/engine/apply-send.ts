import { AuthError, describeError, OutcomeUnknownError } from '../errors';
import type { OpOutcome } from './apply';
import type { ApplyRun } from './apply-carried';
import { settleUnknown } from './settle';
import type { PlanOp, RunContext, Sink, SinkWrite, WriteResult } from './types';

/** A write's answer as an outcome; an insert whose outcome is unknown is looked for (and, found absent, sent once more). */
export async function outcomeOf(sink: Sink, op: PlanOp, write: SinkWrite, r: WriteResult, run: ApplyRun, ctx: RunContext): Promise<OpOutcome> {
  if (!r.ok && r.error instanceof AuthError) run.out.aborted = true;
  if (r.ok) return { result: 'ok', id: r.id };
  if (r.unknown && (write.op === 'create' || write.op === 'relate')) {
    ctx.logger.warn(`${sink.name}: ${op.op} ${op.key}: outcome unknown (${describeError(r.error)}); looking for it before anything is sent again`);
    return settleUnknown(sink, write, ctx, run.input.settle);
  }
  return { result: 'error', error: describeError(r.error) };
}

/** One round trip: the sink's batch call, or its single write; every failure becomes a per-write result. */
export async function send(sink: Sink, writes: SinkWrite[], ctx: RunContext): Promise<WriteResult[]> {
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
        const r = await sink.apply(w, ctx);
        return r.references ? { ok: true, id: r.id, references: r.references } : { ok: true, id: r.id };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err : new Error(String(err)), unknown: err instanceof OutcomeUnknownError || ctx.signal.aborted };
      }
    }),
  );
}
