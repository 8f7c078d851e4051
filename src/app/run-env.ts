import type { Progress, RunContext } from '../engine/types';
import type { Logger } from '../log/logger';
import { StateConnectorCache } from '../state/connector-cache';
import { readCursor } from '../state/cursors';
import { KeyIds } from '../state/keys';
import type { Runtime } from './runtime';

/** What a run starts from: how to log, when to stop, how to show progress. */
export interface RunBase {
  logger: Logger;
  /** Hard stop: cut requests in flight. */
  signal: AbortSignal;
  /** Soft stop: start nothing new. */
  stopping: AbortSignal;
  progressFor(connector: string): Progress;
  /** `--full`: every connector reads in full, trusting no cache or cursor. */
  full: boolean;
}

/** One run's per-connector contexts, key ids and caches. */
export interface RunEnv {
  /** The context every call of this run to `connector` gets (the same object each time). */
  ctxOf(connector: string): RunContext;
  keys: KeyIds;
  /** Whether this connector reads in full this run: asked for, never read, or its cadence came due. */
  isFull(connector: string): boolean;
  /** Before `flushCaches`, outside a transaction: let a first big flush train how cache values are packed. */
  trainCaches(): void;
  /** Keep what connectors cached this run (a sync that finished its reads; never a plan). */
  flushCaches(): void;
}

export function openRunEnv(rt: Runtime, base: RunBase): RunEnv {
  const today = rt.clock.now().toISOString().slice(0, 10);
  const everyMs = rt.loaded.config.run.fullReadEveryHours * 3_600_000;
  const caches = new Map<string, StateConnectorCache>();
  const contexts = new Map<string, RunContext>();
  const isFull = (connector: string): boolean => {
    if (base.full) return true;
    const { fullAt } = readCursor(rt.db, connector);
    return fullAt === undefined || rt.clock.now().getTime() - Date.parse(fullAt) >= everyMs;
  };
  return {
    keys: new KeyIds(rt.db),
    isFull,
    ctxOf(connector) {
      let ctx = contexts.get(connector);
      if (!ctx) {
        const cache = new StateConnectorCache(rt.db, connector, today);
        caches.set(connector, cache);
        ctx = {
          logger: base.logger.child({ connector }),
          clock: rt.clock,
          signal: base.signal,
          stopping: base.stopping,
          progress: base.progressFor(connector),
          cache,
          full: isFull(connector),
        };
        contexts.set(connector, ctx);
      }
      return ctx;
    },
    trainCaches() {
      for (const c of caches.values()) c.train();
    },
    flushCaches() {
      for (const c of caches.values()) c.flush(rt.loaded.config.state.cacheTtlDays);
    },
  };
}
