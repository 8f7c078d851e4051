import type { Db } from './db';

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'blocked';

export interface RunRow {
  id: string;
  command: string;
  startedAt: string;
  finishedAt?: string;
  status: RunStatus;
  summary?: unknown;
  errors: string[];
}

export function startRun(db: Db, run: { id: string; command: string; startedAt: string }): void {
  db.prepare('INSERT INTO runs (id, command, started_at, status) VALUES (?, ?, ?, ?)').run(run.id, run.command, run.startedAt, 'running');
}

export function finishRun(db: Db, run: { id: string; finishedAt: string; status: RunStatus; summary: unknown; errors: string[] }): void {
  db.prepare('UPDATE runs SET finished_at = ?, status = ?, summary = ?, errors = ? WHERE id = ?').run(
    run.finishedAt,
    run.status,
    JSON.stringify(run.summary),
    JSON.stringify(run.errors),
    run.id,
  );
}

export function recordSourceRun(db: Db, row: { runId: string; source: string; status: 'ok' | 'failed'; itemCount: number; error?: string }): void {
  db.prepare('INSERT OR REPLACE INTO source_runs (run_id, source, status, item_count, error) VALUES (?, ?, ?, ?, ?)').run(
    row.runId,
    row.source,
    row.status,
    row.itemCount,
    row.error ?? null,
  );
}

/** Items the source returned in its last successful sync, for the "suspiciously few" guard. */
export function lastGoodItemCount(db: Db, source: string): number | undefined {
  const row = db
    .prepare(
      `SELECT s.item_count AS n FROM source_runs s JOIN runs r ON r.id = s.run_id
       WHERE s.source = ? AND s.status = 'ok' AND r.command = 'sync' AND r.status IN ('ok', 'partial')
       ORDER BY r.started_at DESC LIMIT 1`,
    )
    .get(source) as { n: number } | undefined;
  return row?.n;
}

export function recentRuns(db: Db, limit: number): RunRow[] {
  const rows = db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as Array<Record<string, string | null>>;
  return rows.map((r) => ({
    id: r.id as string,
    command: r.command as string,
    startedAt: r.started_at as string,
    finishedAt: r.finished_at ?? undefined,
    status: r.status as RunStatus,
    summary: r.summary ? (JSON.parse(r.summary) as unknown) : undefined,
    errors: r.errors ? (JSON.parse(r.errors) as string[]) : [],
  }));
}
