import type { RunContext } from '../../../src/engine/types';
import type { ResponseObserver } from './client';
import { isQuerySafeWriter, rememberWrites } from './read-cursor';
import type { RunCache } from './run-cache';

/** What one write answer says about who wrote: the record's sys_updated_by, or none (a DELETE has no body). */
export type WriterSeen = { name: string | undefined } | 'no-record';

/** How a write's answer is reported: its headers (the instance's Date), then what its record says. */
export interface WriteObserver {
  answered: ResponseObserver;
  wrote(seen: WriterSeen): void;
  /** An insert (create, relate) sent through `sending()` got no answer that says what became of it: it may commit late. */
  unsure(): void;
  /** The observer for a request about to be sent: it remembers how far the instance's clock had come. */
  sending(): WriteObserver;
}

/**
 * This run's writes as the instance answered them: the latest Date of an
 * answer (when the writes ended, on the instance's clock) and the
 * sys_updated_by the instance stamped on each record written (masync's own
 * writer name, learned from the instance rather than from config). Stored as
 * each answer arrives, so a run stopped halfway leaves a window that ends at
 * its last answered write. One answer without the name, or two names, and
 * no name is stored: nothing is skipped on a guess. An insert without an
 * answer may have landed, or may commit late, as a copy masync's links do
 * not hold: it was stamped no earlier than the last answer's Date before it
 * was sent, so the window of own writes ends a second before that, and the
 * runs that follow read masync's writes back until no late commit can land.
 */
export class OwnWrites implements WriteObserver {
  private endedAt?: number;
  private readonly names = new Set<string>();
  private unnamed = false;
  private unsureInsert = false;
  /** The Date of the last answer before the first insert that got none was sent; null: it went before any answer. */
  private cut?: number | null;
  private saved = '';

  constructor(
    private readonly ctx: RunContext,
    private readonly run: RunCache,
    private readonly account: string,
  ) {}

  readonly answered: ResponseObserver = (headers) => {
    const date = Date.parse(headers.date ?? '');
    if (Number.isNaN(date) || (this.endedAt !== undefined && date <= this.endedAt)) return;
    this.endedAt = date;
    this.save();
  };

  wrote(seen: WriterSeen): void {
    if (seen === 'no-record') return;
    if (seen.name === undefined || seen.name === '') this.unnamed = true;
    else if (!this.names.has(seen.name)) {
      this.names.add(seen.name);
      if (!isQuerySafeWriter(seen.name)) {
        this.run.warnOnce(this.ctx, `the instance names masync's writer ${JSON.stringify(seen.name)}, which cannot go safely into an encoded query: incremental reads read masync's own writes back. An integration user named with letters, digits and . _ @ + - avoids it`);
      }
    }
    this.save();
  }

  unsure(): void {
    this.unsureSince(this.endedAt);
  }

  sending(): WriteObserver {
    const mark = this.endedAt;
    return { answered: this.answered, wrote: (seen) => this.wrote(seen), unsure: () => this.unsureSince(mark), sending: () => this.sending() };
  }

  private unsureSince(mark: number | undefined): void {
    this.unsureInsert = true;
    if (mark === undefined) this.cut = null;
    else if (this.cut !== null && (this.cut === undefined || mark < this.cut)) this.cut = mark;
    this.save();
  }

  private writer(): string | undefined | 'keep' {
    if (this.unnamed || this.run.writerUnseen || this.names.size > 1) return undefined;
    const [name] = this.names;
    return name ?? 'keep';
  }

  private save(): void {
    if (this.endedAt === undefined && !this.unsureInsert) return;
    const endedAt = this.endedAt === undefined ? undefined : new Date(this.endedAt).toISOString();
    // Stamps are whole seconds and the window's end is exclusive of what follows it: a second before the mark.
    const cutAt = this.cut === undefined ? undefined : this.cut === null ? 'start' : new Date(this.cut - 1000).toISOString();
    const writes = { endedAt, writer: this.writer(), unsure: this.unsureInsert, ...(cutAt === undefined ? {} : { cutAt }) };
    const key = JSON.stringify(writes);
    // An answer that changes nothing stored (most of them) costs nothing.
    if (key === this.saved) return;
    this.saved = key;
    rememberWrites(this.ctx, this.account, writes);
  }
}
