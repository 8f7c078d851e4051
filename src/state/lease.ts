import type { Db } from './db';

/**
 * A lease on the state file so two runs never apply at once. It expires
 * unless renewed, so a crashed holder frees it; a holder on this host whose
 * process is gone frees it at once.
 */
export interface LeaseHolder {
  holder: string;
  pid: number;
  host: string;
}

export interface HeldLease extends LeaseHolder {
  acquiredAt: string;
  expiresAt: number;
}

export type LeaseResult = { ok: true } | { ok: false; heldBy: HeldLease };

export interface LeaseEnv {
  nowMs: number;
  /** Whether a process on this host is still running. */
  isAlive(pid: number): boolean;
  hostname: string;
}

export function acquireLease(db: Db, name: string, me: LeaseHolder, ttlMs: number, env: LeaseEnv): LeaseResult {
  return db
    .transaction((): LeaseResult => {
      const row = db.prepare('SELECT * FROM lease WHERE name = ?').get(name) as Record<string, string | number> | undefined;
      if (row) {
        const held: HeldLease = {
          holder: row.holder as string,
          pid: row.pid as number,
          host: row.host as string,
          acquiredAt: row.acquired_at as string,
          expiresAt: row.expires_at as number,
        };
        const expired = held.expiresAt <= env.nowMs;
        const orphaned = held.host === env.hostname && !env.isAlive(held.pid);
        if (!expired && !orphaned && held.holder !== me.holder) return { ok: false, heldBy: held };
      }
      db.prepare(
        `INSERT INTO lease (name, holder, pid, host, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host,
           acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
      ).run(name, me.holder, me.pid, me.host, new Date(env.nowMs).toISOString(), env.nowMs + ttlMs);
      return { ok: true };
    })
    .immediate();
}

/** Extend our lease; false when someone else took it (ours had expired). */
export function renewLease(db: Db, name: string, me: LeaseHolder, ttlMs: number, nowMs: number): boolean {
  const res = db.prepare('UPDATE lease SET expires_at = ? WHERE name = ? AND holder = ?').run(nowMs + ttlMs, name, me.holder);
  return res.changes === 1;
}

export function releaseLease(db: Db, name: string, me: LeaseHolder): void {
  db.prepare('DELETE FROM lease WHERE name = ? AND holder = ?').run(name, me.holder);
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
