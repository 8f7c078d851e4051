import { setMaxListeners } from 'node:events';
import { LockedError } from '../errors';
import { acquireLease, processIsAlive, releaseLease, renewLease, type LeaseHolder } from '../state/lease';
import type { Runtime } from './runtime';

const LEASE = 'sync';

/**
 * Run `fn` holding the state file's lease, renewing it while `fn` runs. If
 * the lease is lost (this process stalled past its expiry and another run
 * took over), the signal `fn` gets aborts, so it stops writing.
 */
export async function withLease<T>(rt: Runtime, runId: string, waitMs: number, signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const me: LeaseHolder = { holder: runId, pid: process.pid, host: rt.hostname };
  const ttlMs = rt.loaded.config.state.leaseSec * 1000;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const got = acquireLease(rt.db, LEASE, me, ttlMs, { nowMs: Date.now(), isAlive: processIsAlive, hostname: rt.hostname });
    if (got.ok) break;
    if (Date.now() >= deadline || signal.aborted) {
      const h = got.heldBy;
      throw new LockedError(
        `another masync run holds ${rt.loaded.statePath} (run ${h.holder}, pid ${h.pid} on ${h.host}, since ${h.acquiredAt}); ` +
          `it is released when that run ends, or at ${new Date(h.expiresAt).toISOString()} if it died. ${waitMs > 0 ? 'Waited' : 'Use --wait SECONDS to wait for it'}.`,
        { holder: h.holder },
      );
    }
    rt.logger.info(`waiting for run ${got.heldBy.holder} to release the state file`);
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(50, deadline - Date.now()))));
  }

  const lost = new AbortController();
  const timer = setInterval(() => {
    if (!renewLease(rt.db, LEASE, me, ttlMs, Date.now())) {
      rt.logger.error('lost the lease on the state file; stopping before writing more');
      lost.abort(new LockedError('lease lost'));
    }
  }, Math.max(1000, ttlMs / 3));
  timer.unref();
  const runSignal = AbortSignal.any([signal, lost.signal]);
  // Every request and every wait of the run listens to it: hundreds at once are the design, not a leak.
  setMaxListeners(0, runSignal);
  try {
    return await fn(runSignal);
  } finally {
    clearInterval(timer);
    releaseLease(rt.db, LEASE, me);
  }
}
