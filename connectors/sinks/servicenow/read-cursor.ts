import { createHash } from 'node:crypto';
import type { RunContext, SinkReadOptions } from '../../../src/engine/types';
import type { ResponseObserver } from './client';
import type { ServiceNowConfig } from './config';
import type { RunCache } from './run-cache';

const CURSOR_KEY = 'read-cursor.v1';

/**
 * The instance stamps sys_updated_on as it writes and the row is visible a
 * moment later (each write commits on its own): a write stamped just before
 * a read began may not have been visible to it. The next read starts this
 * much earlier than the last one began.
 */
const VISIBILITY_LAG_MS = 1000;

/**
 * How long after it was sent an insert whose answer never came may still
 * commit. The instance cancels a REST transaction at its quota (a minute or
 * so by default, a queue wait before it); an hour is a wide margin.
 */
const LATE_COMMIT_MS = 3_600_000;

/** A user name that can go into an encoded query as it is (no `^`, `,`, `=` or space to rewrite it). */
const QUERY_SAFE_USER = /^[A-Za-z0-9._@+-]{1,100}$/;

/**
 * What the connector keeps between runs (in its own cache) to start the next
 * incremental read. Every field but the first is optional: a cursor written
 * before masync learned its writer name reads as it always did.
 */
export interface StoredCursor {
  /** When the last complete read began, on the instance's clock (ISO 8601). */
  readStartedAt: string;
  /** Whose writes `writer` names: a hash of the instance and the configured user or client id (never a secret). */
  account?: string;
  /** The instance's sys_updated_by on masync's own writes, as the instance answered them. */
  writer?: string;
  /** The Date of the last write answer since that read began (instance clock, whole seconds). */
  writesEndedAt?: string;
  /**
   * When a run that sent an insert it got no answer for stopped writing. That insert may
   * commit late, as a copy masync's links do not hold: a read window that starts less than
   * LATE_COMMIT_MS after this may hold it.
   */
  unsureAt?: string;
  /** This window may hold such a late commit: masync's own writes in it are read back. */
  mayHoldLateCommits?: boolean;
}

/**
 * Where this run's incremental read starts, and, when masync knows its own
 * writer and when its writes ended, the rows it may leave unread: the ones
 * it changed itself between that start and that end.
 */
export interface ReadWindow {
  since: string;
  own?: { writer: string; endedAt: string };
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

/** Whether a writer name can go into an encoded query as it is. */
export function isQuerySafeWriter(name: string): boolean {
  return QUERY_SAFE_USER.test(name);
}

/**
 * Whose writes a stored writer name describes: the instance and the
 * configured user (basic auth, password grant) or OAuth client. Changed
 * credentials make a stored name stale, so it is never used for them.
 */
export function accountOf(config: Pick<ServiceNowConfig, 'instance' | 'auth'>): string {
  const a = config.auth;
  const who = 'clientId' in a ? `oauth\n${a.clientId}\n${'username' in a ? a.username : ''}` : `basic\n${a.username}`;
  return createHash('sha256').update(`${config.instance}\n${who}`, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Where this read starts. A full read (no `changedSince`) reads everything.
 * An incremental one starts where the last complete read began, on the
 * instance's clock, rather than at the engine's cursor (the newest change
 * seen, less a margin for skew): nothing anyone changed while it ran is
 * missed. When the run after that read learned its writer name and when its
 * writes ended, rows that writer changed in between are masync's own (their
 * links hold what it wrote) and are left unread. Without a stored start (a
 * first incremental run, an instance that sends no Date), the engine's
 * instant is used.
 */
export function readWindow(opts: SinkReadOptions, run: RunCache, ctx: RunContext, account: string): ReadWindow | undefined {
  if (opts.changedSince === undefined) return undefined;
  // Looked up once per run: this run's own read and writes must not move the window of a second read in the same run.
  run.priorCursor ??= { stored: storedCursor(ctx) };
  const stored = run.priorCursor.stored;
  if (!stored) return { since: opts.changedSince };
  const since = new Date(Date.parse(stored.readStartedAt) - VISIBILITY_LAG_MS).toISOString();
  const { writer, writesEndedAt } = stored;
  if (stored.account !== account || writer === undefined || writesEndedAt === undefined || !isQuerySafeWriter(writer)) return { since };
  // Stored times are whole seconds, and the read asks from the second `since` falls in: a window ending in that second still saves rows.
  if (stored.mayHoldLateCommits === true || Date.parse(writesEndedAt) < Math.floor(Date.parse(since) / 1000) * 1000) return { since };
  return { since, own: { writer, endedAt: writesEndedAt } };
}

/** Whether an insert of the run that stopped writing at `unsureAt` may still commit after `from`. */
function lateCommitPossible(unsureAt: string | undefined, from: string): boolean {
  return unsureAt !== undefined && Date.parse(from) <= Date.parse(unsureAt) + LATE_COMMIT_MS;
}

/**
 * A complete read (records and relations) ended: the next run's incremental
 * read starts where this one began. Writes of this run come after it
 * (`rememberWrites`). The writer name is kept for the same account, unless
 * this read found the instance hiding sys_updated_by; so is the end of the
 * last writes: every row masync's writer changed before it is masync's own,
 * and `readWindow` uses it only while it is not before the window's start.
 */
export function rememberReadStart(clock: ReadClock, ctx: RunContext, account: string, writerUnseen: boolean): void {
  const at = clock.startedAt();
  if (at === undefined) return ctx.cache.delete(CURSOR_KEY);
  const prior = storedCursor(ctx);
  const writer = !writerUnseen && prior?.account === account ? prior.writer : undefined;
  const since = new Date(Date.parse(at) - VISIBILITY_LAG_MS).toISOString();
  // A run that starts right after the last one's writes reads from a second before it began, among their tail: their end still holds.
  const ended = writer === undefined ? undefined : prior?.writesEndedAt;
  // A late commit could still land inside the window that starts here: the marker stays until it cannot.
  const unsureAt = lateCommitPossible(prior?.unsureAt, since) ? prior?.unsureAt : undefined;
  const next: StoredCursor = {
    readStartedAt: at,
    account,
    ...(writer === undefined ? {} : { writer }),
    ...(ended === undefined ? {} : { writesEndedAt: ended }),
    ...(unsureAt === undefined ? {} : { unsureAt, mayHoldLateCommits: true }),
  };
  ctx.cache.set(CURSOR_KEY, next);
}

/** This run's writes so far, as `OwnWrites` saw them. */
export interface WritesSoFar {
  /** The Date of the last answer; undefined before any came. */
  endedAt: string | undefined;
  /** The name the answers showed; `undefined`: none to trust, so nothing is skipped; `keep`: no answer named one, the stored name stands for the same account. */
  writer: string | undefined | 'keep';
  /** An insert got no answer and may have landed (or may still). */
  unsure: boolean;
  /** Where masync's own writes must stop being skipped: before the first such insert was sent (`start`: before any answer). */
  cutAt?: string;
}

/**
 * Pair this run's writes with the cursor as it stands (this run's read
 * start, or the last one's when this run's read did not complete): rows the
 * writer changed in between are masync's own. Without a cursor there is
 * nothing to pair with.
 */
export function rememberWrites(ctx: RunContext, account: string, w: WritesSoFar): void {
  const cursor = storedCursor(ctx);
  if (!cursor) return;
  const writer = w.writer === 'keep' ? (cursor.account === account ? cursor.writer : undefined) : w.writer;
  const ended = w.endedAt ?? cursor.writesEndedAt;
  const endedAt = w.cutAt === 'start' ? undefined : w.cutAt !== undefined && ended !== undefined && Date.parse(w.cutAt) < Date.parse(ended) ? w.cutAt : ended;
  // Before any answer came, the read start stands for when the writes stopped; the later of two markers holds.
  const unsureAt = w.unsure ? latest(cursor.unsureAt, w.endedAt ?? cursor.readStartedAt) : cursor.unsureAt;
  const next: StoredCursor = {
    readStartedAt: cursor.readStartedAt,
    account,
    ...(writer === undefined ? {} : { writer }),
    ...(endedAt === undefined ? {} : { writesEndedAt: endedAt }),
    ...(unsureAt === undefined ? {} : { unsureAt }),
    ...(cursor.mayHoldLateCommits ? { mayHoldLateCommits: true } : {}),
  };
  ctx.cache.set(CURSOR_KEY, next);
}

function latest(a: string | undefined, b: string): string {
  return a !== undefined && Date.parse(a) > Date.parse(b) ? a : b;
}

function storedCursor(ctx: RunContext): StoredCursor | undefined {
  const stored = ctx.cache.get<Partial<StoredCursor>>(CURSOR_KEY);
  const at = stored?.readStartedAt;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const instant = (v: unknown) => {
    const t = text(v);
    return t !== undefined && !Number.isNaN(Date.parse(t)) ? t : undefined;
  };
  // An unreadable marker is kept as the start itself: a late commit is assumed possible.
  const unsure = stored?.unsureAt === undefined ? undefined : (instant(stored.unsureAt) ?? at);
  return {
    readStartedAt: at,
    account: text(stored?.account),
    writer: text(stored?.writer),
    writesEndedAt: instant(stored?.writesEndedAt),
    unsureAt: unsure,
    mayHoldLateCommits: stored?.mayHoldLateCommits === true || undefined,
  };
}
