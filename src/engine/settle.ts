import { describeError, OutcomeUnknownError } from '../errors';
import type { CreateWrite, RelateWrite, RunContext, Sink } from './types';

export interface SettlePolicy {
  /** Waits before each look after the first (which is immediate), e.g. [5000, 10000]. */
  waitsMs: readonly number[];
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export type Settled = { result: 'ok'; id: string; how: 'landed' | 'resent' } | { result: 'unknown'; error: string } | { result: 'error'; error: string };

/**
 * A create or relate whose outcome is unknown (a timeout, a lost answer, a
 * 5xx) is never sent again blindly: look for it now, and again after each
 * wait, because an insert can commit after its answer was lost. Only when it
 * is still absent after the last look is it sent once more — an informed
 * resend, not a blind one — and that send's own unknown outcome is looked
 * for the same way. What is still unsettled stays `unknown` in the journal and
 * the next run's read settles it. A stop (the first signal) ends the waiting.
 */
export async function settleUnknown(sink: Sink, write: CreateWrite | RelateWrite, ctx: RunContext, policy: SettlePolicy): Promise<Settled> {
  const found = await look(sink, write, ctx, policy);
  if (found.result !== 'unknown' || found.definitelyAbsent !== true) return strip(found);
  if (ctx.stopping.aborted) return { result: 'unknown', error: 'stopping; the next run looks for it' };
  ctx.logger.warn(`${sink.name}: ${describe(write)} did not land after ${policy.waitsMs.length + 1} look(s); sending it once more`);
  try {
    return { result: 'ok', id: (await sink.apply(write, ctx)).id, how: 'resent' };
  } catch (err) {
    if (!(err instanceof OutcomeUnknownError)) return { result: 'error', error: describeError(err) };
    const again = await look(sink, write, ctx, policy);
    return again.result === 'ok' ? { ...again, how: 'resent' } : strip(again);
  }
}

/**
 * A create an earlier run sent without learning its outcome (it timed out, or
 * the process died with it in flight) may still land: before it is sent again,
 * wait out what is left of its settle window, counted from when it was sent,
 * and look for it. Found, it is this run's outcome; absent (`undefined`), it may be sent.
 */
export async function settleEarlier(sink: Sink, write: CreateWrite, sentAtMs: number, nowMs: number, ctx: RunContext, policy: SettlePolicy): Promise<Settled | undefined> {
  const left = sentAtMs + policy.waitsMs.reduce((a, b) => a + b, 0) - nowMs;
  if (left > 0) {
    if (ctx.stopping.aborted) return { result: 'unknown', error: 'stopping before an earlier create of it could be looked for; the next run looks for it' };
    ctx.logger.info(`${sink.name}: an earlier run sent the create of ${write.key} without learning whether it landed; waiting ${Math.ceil(left / 1000)} s before looking for it`);
    try {
      await policy.sleep(left, ctx.signal);
    } catch {
      return { result: 'unknown', error: 'stopped while waiting to look for an earlier create; the next run looks for it' };
    }
  }
  try {
    const id = await sink.lookup(write, ctx);
    return id === undefined ? undefined : { result: 'ok', id, how: 'landed' };
  } catch (err) {
    return { result: 'unknown', error: `an earlier create of it could not be looked up (${describeError(err)}); not sent again this run` };
  }
}

type Look = { result: 'ok'; id: string; how: 'landed' } | { result: 'unknown'; error: string; definitelyAbsent?: true };

async function look(sink: Sink, write: CreateWrite | RelateWrite, ctx: RunContext, policy: SettlePolicy): Promise<Look> {
  for (const wait of [0, ...policy.waitsMs]) {
    if (wait > 0) {
      if (ctx.stopping.aborted) return { result: 'unknown', error: 'stopping before it could be looked up again; the next run looks for it' };
      try {
        await policy.sleep(wait, ctx.signal);
      } catch {
        return { result: 'unknown', error: 'stopped while waiting to look it up; the next run looks for it' };
      }
    }
    let id: string | undefined;
    try {
      id = await sink.lookup(write, ctx);
    } catch (err) {
      return { result: 'unknown', error: `could not look it up: ${describeError(err)}; the next run looks for it` };
    }
    if (id !== undefined) return { result: 'ok', id, how: 'landed' };
  }
  return { result: 'unknown', error: 'not found after waiting', definitelyAbsent: true };
}

function strip(l: Look): Settled {
  return l.result === 'ok' ? l : { result: 'unknown', error: l.error };
}

function describe(write: CreateWrite | RelateWrite): string {
  return write.op === 'create' ? `the create of ${write.key}` : `the ${write.type} relation ${write.parentId} → ${write.childId}`;
}
