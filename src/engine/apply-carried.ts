import { describeError } from '../errors';
import type { ApplyInput, ApplyOutcome, OpOutcome } from './apply';
import { endsOf } from './apply-phases';
import { outcomeOf, send } from './apply-send';
import { settleUnknown } from './settle';
import type { CarriedOutcome, CreateWrite, PlanOp, RelateWrite, RunContext, Sink, SinkWrite, WriteResult } from './types';

/** One apply: its input, what it has done so far, and which relates ride in which creates. */
export interface ApplyRun {
  input: ApplyInput;
  out: ApplyOutcome;
  /** `sink \0 key` of creates that failed or stayed unknown: what relates to them waits for the next run. */
  failedCreates: Set<string>;
  carried: ReadonlyMap<PlanOp, readonly PlanOp[]>;
}

/** A write about to go, and what became of it. */
export interface Ready {
  op: PlanOp;
  write: SinkWrite;
  /** Relates this create carries, with the id of the record each points at. */
  riding: Array<{ op: PlanOp; targetId: string }>;
  /** Journalled as sent (with their create) before anything went. */
  announced: boolean;
  outcome?: OpOutcome;
  /** What the sink said of each carried reference, when it said. */
  carriedOutcomes?: CarriedOutcome[];
}

/**
 * The relates a create carries, their references set on its write. One whose
 * other end was to be created in an earlier phase and was not is skipped, as
 * a relate on its own behind a failed create is: the next run draws it.
 */
export function ride(create: PlanOp, write: CreateWrite, run: ApplyRun, ctx: RunContext, ids: ReadonlyMap<string, string>): Ready['riding'] {
  const riding: Ready['riding'] = [];
  for (const rel of run.carried.get(create) ?? []) {
    const { other } = endsOf(rel);
    const targetId = run.failedCreates.has(`${rel.sink}\u0000${other}`) ? undefined : ids.get(other);
    if (targetId === undefined) {
      ctx.logger.warn(`skipped relate ${rel.relation?.type} for ${rel.key}: ${other} was not created`);
      run.out.skipped++;
      continue;
    }
    riding.push({ op: rel, targetId });
  }
  if (riding.length > 0) write.references = riding.map((r) => ({ type: r.op.relation?.type ?? '', targetId: r.targetId }));
  return riding;
}

/** A create that could not even be written: the relates it would have carried are skipped with it. */
export function skipCarried(create: PlanOp, run: ApplyRun, ctx: RunContext): void {
  for (const rel of run.carried.get(create) ?? []) {
    ctx.logger.warn(`skipped relate ${rel.relation?.type} for ${rel.key}: ${create.key} was not created`);
    run.out.skipped++;
  }
}

/**
 * The outcome of each relate a create carried, once the create's is known.
 * Its create unknown, it is unknown (the next run's read settles both, and
 * nothing is sent again blindly); its create failed, it failed. Its create
 * landed: drawn, as the sink says, or, where the sink did not say (the
 * create was found by lookup), looked up the way any relate of unknown
 * outcome is. A reference the sink did not carry (one over the attribute's
 * cardinality) is drawn on its own now.
 */
export async function settleCarried(sink: Sink, r: Ready, run: ApplyRun, ctx: RunContext, settled: (op: PlanOp, outcome: OpOutcome) => void): Promise<void> {
  if (r.riding.length === 0) return;
  const created = r.outcome;
  if (!created || created.result !== 'ok') {
    const unknown = created?.result === 'unknown';
    const why = unknown
      ? `carried in the create of ${r.op.key}, whose outcome is unknown; the next run's read settles it`
      : `not drawn: the create of ${r.op.key} that carried it failed`;
    for (const x of r.riding) settled(x.op, { result: unknown ? 'unknown' : 'error', error: why });
    return;
  }
  // The create was not sent this run (an earlier run's was found): what is sent now is journalled first.
  if (!r.announced) run.input.hooks.onSend?.(r.riding.map((x) => x.op));
  const said = r.carriedOutcomes;
  await Promise.all(
    r.riding.map(async (x, i) => {
      const write = relateWrite(x.op, created.id, x.targetId);
      const c = said?.[i];
      let outcome: OpOutcome;
      if (said === undefined) outcome = await settleUnknown(sink, write, ctx, run.input.settle);
      else if (c === undefined) outcome = await outcomeOf(sink, x.op, write, (await send(sink, [write], ctx))[0] as WriteResult, run, ctx);
      else outcome = 'id' in c ? { result: 'ok', id: c.id } : { result: 'error', error: describeError(c.error) };
      settled(x.op, outcome);
    }),
  );
}

function relateWrite(op: PlanOp, holderId: string, targetId: string): RelateWrite {
  const rel = op.relation;
  if (!rel) throw new Error('plan op lacks relation');
  return rel.holder === 'child'
    ? { op: 'relate', type: rel.type, parentId: targetId, childId: holderId, holder: 'child' }
    : { op: 'relate', type: rel.type, parentId: holderId, childId: targetId, holder: 'parent' };
}
