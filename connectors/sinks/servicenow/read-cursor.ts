import type { RunContext, SinkReadOptions } from '../../../src/engine/types';
import type { ResponseObserver } from './client';
import type { RunCache } from './run-cache';

const CURSOR_KEY = 'read-cursor.v1';

/**
 * The instance stamps sys_updated_on as it writes and the row is visible a
 * moment later (each write commits on its own): a write stamped just before
 * a read began may not have been visible to it. The next read starts this
 * much earlier than the last one began.
 */
const VISIBILITY_LAG_MS = 1000;

interface StoredCursor {
  /** When the last complete read began, on the instance's clock (ISO 8601). */
  readStartedAt: string;
}

/**
 * When a read began, on the instance's clock. Each answer's Date header, less
 * the time since the read was sent (measured here), is never later than the
 * instance's time when it was sent: the latest such value over every answer
 * of the read is the tightest (a Date header is cut to the second). Comparing
 * the instance's time with the instance's sys_updated_on needs no margin for
 * skew between masync's clock and the instance's.
 */
export class ReadClock {
  private readonly sent = performance.now();
  private instanceStart?: number;

  readonly observe: ResponseObserver = (headers) => {
    const date = Date.parse(headers.date ?? '');
    if (Number.isNaN(date)) return;
    const start = date - (performance.now() - this.sent);
    if (this.instanceStart === undefined || start > this.instanceStart) this.instanceStart = start;
  };

  /** The read's start as ISO 8601, or undefined when no answer carried a Date header. */
  startedAt(): string | undefined {
    return this.instanceStart === undefined ? undefined : new Date(this.instanceStart).toISOString();
  }
}

/**
 * Where this read starts. A full read (no `changedSince`) reads everything.
 * An incremental one starts where the last complete read began, on the
 * instance's clock, rather than at the engine's cursor (the newest change
 * seen, less a margin for skew): what masync itself wrote after that read
 * began is read once, not again run after run, and nothing anyone changed
 * while it ran is missed. Without a stored start (a first incremental run,
 * an instance that sends no Date), the engine's instant is used.
 */
export function readSince(opts: SinkReadOptions, run: RunCache, ctx: RunContext): string | undefined {
  if (opts.changedSince === undefined) return undefined;
  // Looked up once per run: this run's own read must not move the start of a second read in the same run.
  run.priorReadStart ??= { at: storedStart(ctx) };
  const at = run.priorReadStart.at;
  return at === undefined ? opts.changedSince : new Date(Date.parse(at) - VISIBILITY_LAG_MS).toISOString();
}

/** A complete read (records and relations) ended: the next run's incremental read starts where this one began. */
export function rememberReadStart(clock: ReadClock, ctx: RunContext): void {
  const at = clock.startedAt();
  if (at === undefined) ctx.cache.delete(CURSOR_KEY);
  else ctx.cache.set(CURSOR_KEY, { readStartedAt: at } satisfies StoredCursor);
}

function storedStart(ctx: RunContext): string | undefined {
  const stored = ctx.cache.get<Partial<StoredCursor>>(CURSOR_KEY);
  const at = stored?.readStartedAt;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : undefined;
}
