/**
 * Several reads started at once, their items yielded in the order of the
 * reads (all of the first, then all of the second…) and, within one, as it
 * yields them. The reads' round trips overlap, so a chain of N listings costs
 * the latency of one; the order a consumer sees stays what a one-after-another
 * read gives, so nothing downstream can tell the difference but the wait.
 * Items of later reads wait in memory until their turn. The first failure
 * ends everything: the other reads are stopped and it is thrown, in its turn
 * or at once when it is the read being yielded.
 */
export async function* inOrder<T>(reads: ReadonlyArray<AsyncIterable<T>>): AsyncGenerator<T> {
  let failure: { error: unknown } | undefined;
  const failed = (error: unknown) => {
    failure ??= { error };
    for (const lane of lanes) lane.stop();
  };
  const lanes = reads.map((read) => new Lane(read[Symbol.asyncIterator](), failed));
  for (const lane of lanes) void lane.pump();
  try {
    for (const lane of lanes) {
      for (;;) {
        if (failure) throw failure.error;
        const next = lane.take();
        if (next === DRAINED) break;
        if (next === EMPTY) await lane.moved();
        else yield next;
      }
    }
    if (failure) throw failure.error;
  } finally {
    for (const lane of lanes) lane.stop();
  }
}

const EMPTY = Symbol('empty');
const DRAINED = Symbol('drained');

/** One read, pulled as fast as it yields, into a queue the consumer takes from. */
class Lane<T> {
  private readonly queue: T[] = [];
  private head = 0;
  private done = false;
  private stopped = false;
  private wake?: () => void;
  private waiting?: Promise<void>;

  constructor(
    private readonly it: AsyncIterator<T>,
    private readonly failed: (error: unknown) => void,
  ) {}

  /** Never rejects: a failure is handed to `failed` before the lane says it is done. */
  async pump(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) {
          await this.it.return?.();
          return;
        }
        const r = await this.it.next();
        if (r.done) return;
        this.queue.push(r.value);
        this.notify();
      }
    } catch (err) {
      this.failed(err);
    } finally {
      this.done = true;
      this.notify();
    }
  }

  take(): T | typeof EMPTY | typeof DRAINED {
    if (this.head < this.queue.length) {
      const v = this.queue[this.head] as T;
      // Release what was taken so a long read does not hold every item twice.
      this.queue[this.head++] = undefined as T;
      if (this.head === this.queue.length) this.queue.length = this.head = 0;
      return v;
    }
    return this.done ? DRAINED : EMPTY;
  }

  /** Resolves when an item arrives, the read ends, or it fails. */
  moved(): Promise<void> {
    this.waiting ??= new Promise<void>((resolve) => (this.wake = resolve));
    return this.waiting;
  }

  stop(): void {
    this.stopped = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    this.waiting = undefined;
    wake?.();
  }
}
