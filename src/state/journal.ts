import type { Db } from './db';

export interface JournalEntry {
  runId: string;
  sink: string;
  op: string;
  kind: string;
  key: string;
  recordId?: string;
  /** field → {from, to}; for relations, the relation. */
  changes: unknown;
  result: 'ok' | 'error';
  error?: string;
  at: string;
}

/** Every write to a sink, as it completes: the audit trail and the crash-recovery record. */
export function appendJournal(db: Db, e: JournalEntry): void {
  db.prepare(
    `INSERT INTO journal (run_id, sink, op, kind, key, record_id, changes, result, error, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.runId, e.sink, e.op, e.kind, e.key, e.recordId ?? null, JSON.stringify(e.changes), e.result, e.error ?? null, e.at);
}

export function journalCountForRun(db: Db, runId: string): { ok: number; error: number } {
  const row = db
    .prepare(`SELECT SUM(result = 'ok') AS ok, SUM(result = 'error') AS error FROM journal WHERE run_id = ?`)
    .get(runId) as { ok: number | null; error: number | null };
  return { ok: row.ok ?? 0, error: row.error ?? 0 };
}
