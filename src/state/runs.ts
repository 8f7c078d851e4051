import type { Db } from './db';
import { prepared } from './prepared';

/** `interrupted`: stopped by a signal, or found unfinished by a later run (the process died). */
export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'blocked' | 'interrupted';

export interface RunRow {
  id: string;
  seq: number;
  command: string;
  startedAt: string;
  finishedAt?: string;
  status: RunStatus;
  summary?: unknown;
  errors: string[];
  notes: string[];
}

/** Record a run as started; returns its number, which the journal refers to. */
export function startRun(db: Db, run: { id: string; command: string; startedAt: string; pid: number; host: string }): number {
  return Number(
    prepared(db, 'INSERT INTO runs (id, command, started_at, status, pid, host) VALUES (?, ?, ?, ?, ?, ?)').run(run.id, run.command, run.startedAt, 'running', run.pid, run.host)
      .lastInsertRowid,
  );
}

export function finishRun(db: Db, run: { id: string; finishedAt: string; status: RunStatus; summary: unknown; errors: string[]; notes: string[] }): void {
  prepared(db, 'UPDATE runs SET finished_at = ?, status = ?, summary = ?, errors = ?, notes = ? WHERE id = ?').run(
    run.finishedAt,
    run.status,
    JSON.stringify(run.summary),
    JSON.stringify(run.errors),
    JSON.stringify(run.notes),
    run.id,
  );
}

/**
 * Runs still marked running when a new run holds the lease died without
 * finishing (SIGKILL, power loss): they are interrupted, not running forever.
 */
export function closeAbandonedRuns(db: Db, current: string, at: string): RunRow[] {
  const rows = prepared(db, `SELECT * FROM runs WHERE status = 'running' AND id != ?`).all(current) as Array<Record<string, string | number | null>>;
  const stmt = prepared(db, `UPDATE runs SET status = 'interrupted', finished_at = ?, notes = ? WHERE id = ?`);
  for (const r of rows) stmt.run(at, JSON.stringify([`the process (pid ${String(r.pid ?? '?')} on ${String(r.host ?? '?')}) ended without finishing the run; its writes are in the journal`]), r.id);
  return rows.map(toRow);
}

export interface SourceRunRow {
  runId: string;
  source: string;
  status: 'ok' | 'failed';
  itemCount: number;
  /** False when a guard held the read back: it is not a baseline for the next run. */
  trusted: boolean;
  /** The short-read guard's baseline this run leaves: items per scope ("" for a one-scope source). */
  scopes: Record<string, number>;
  error?: string;
}

export function recordSourceRun(db: Db, row: SourceRunRow): void {
  prepared(db, 'INSERT OR REPLACE INTO source_runs (run_id, source, status, item_count, trusted, scopes, error) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    row.runId,
    row.source,
    row.status,
    row.itemCount,
    row.trusted ? 1 : 0,
    JSON.stringify(row.scopes),
    row.error ?? null,
  );
}

/**
 * Items per scope at the source's last trusted read: the short-read guard's
 * baseline. Each run records the baseline it leaves (a scope the guard held
 * back keeps its old figure), so an empty registry read twice is still held
 * back the second time.
 */
export function lastTrustedCounts(db: Db, source: string): { total: number; scopes: Record<string, number> } | undefined {
  const row = prepared(
    db,
    `SELECT s.item_count AS n, s.scopes AS scopes FROM source_runs s JOIN runs r ON r.id = s.run_id
     WHERE s.source = ? AND s.status = 'ok' AND r.command = 'sync' AND r.status IN ('ok', 'partial', 'interrupted')
     ORDER BY r.seq DESC LIMIT 1`,
  ).get(source) as { n: number; scopes: string | null } | undefined;
  if (!row) return undefined;
  return { total: row.n, scopes: row.scopes ? (JSON.parse(row.scopes) as Record<string, number>) : { '': row.n } };
}

export function recentRuns(db: Db, limit: number): RunRow[] {
  return (prepared(db, 'SELECT * FROM runs ORDER BY seq DESC LIMIT ?').all(limit) as Array<Record<string, string | number | null>>).map(toRow);
}

export function runById(db: Db, id: string): RunRow | undefined {
  const r = prepared(db, 'SELECT * FROM runs WHERE id = ?').get(id) as Record<string, string | number | null> | undefined;
  return r && toRow(r);
}

function toRow(r: Record<string, string | number | null>): RunRow {
  return {
    id: r.id as string,
    seq: r.seq as number,
    command: r.command as string,
    startedAt: r.started_at as string,
    finishedAt: (r.finished_at as string | null) ?? undefined,
    status: r.status as RunStatus,
    summary: r.summary ? (JSON.parse(r.summary as string) as unknown) : undefined,
    errors: r.errors ? (JSON.parse(r.errors as string) as string[]) : [],
    notes: r.notes ? (JSON.parse(r.notes as string) as string[]) : [],
  };
}
