import type { RunContext } from '../../../src/engine/types';

/**
 * Things read once per run (the instance's classes and columns, relationship
 * types, lookups), what the run learnt about the instance, and warnings
 * already given. A run is one RunContext: the
 * engine passes the same one to every call of a run, and a daemon's next run
 * gets a fresh one, so a column an admin adds is seen without a restart.
 */
export class RunCache {
  readonly lookups = new Map<string, string | null>();
  /** The instance refused the Batch API in this run: the rest of the run writes through the Table API. */
  tableApiOnly = false;
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

export class RunCaches {
  private readonly caches = new WeakMap<RunContext, RunCache>();

  of(ctx: RunContext): RunCache {
    let c = this.caches.get(ctx);
    if (!c) this.caches.set(ctx, (c = new RunCache()));
    return c;
  }
}
