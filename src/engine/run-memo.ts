import type { RunContext } from './types';

/**
 * What a connector learns during one run: things read once (a catalog, a
 * lookup) and warnings already given. A run is one RunContext (the engine
 * passes the same one to every call of a run), so the next run starts afresh
 * and sees, say, a column an admin added, without a restart.
 */
export class RunMemo {
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly warned = new Set<string>();

  /** The value of `load()`, computed once per run; a failed load is forgotten so a later call may retry. */
  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.memo.set(key, p);
      p.catch(() => this.memo.delete(key));
    }
    return p;
  }

  /** Replace what `once(key)` gives for the rest of the run (a value read again). */
  replace<T>(key: string, value: Promise<T>): void {
    this.memo.set(key, value);
  }

  /** Log a warning the first time it is given in this run. */
  warnOnce(ctx: RunContext, message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    ctx.logger.warn(message);
  }
}

/** One `T` per run: `of(ctx)` makes it the first time a run asks. */
export class PerRun<T> {
  private readonly runs = new WeakMap<RunContext, T>();

  constructor(private readonly make: () => T) {}

  of(ctx: RunContext): T {
    let t = this.runs.get(ctx);
    if (t === undefined) this.runs.set(ctx, (t = this.make()));
    return t;
  }
}
