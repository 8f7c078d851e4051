import { openDb, type Db } from '../../src/state/db';

export interface JournalRow {
  run: number;
  sink: string;
  op: string;
  key: string;
  recordId: string | null;
  result: string;
}

/** What a test reads back from a state file another run (or process) wrote; opened and closed per call. */
export function readState<T>(statePath: string, fn: (db: Db) => T): T {
  const db = openDb(statePath);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function journal(statePath: string): JournalRow[] {
  return readState(statePath, (db) =>
    db.prepare('SELECT j.run, j.sink, j.op, k.key, j.record_id AS recordId, j.result FROM journal j JOIN keys k ON k.id = j.key_id ORDER BY j.id').all() as JournalRow[],
  );
}

export function leases(statePath: string): Array<{ holder: string; pid: number }> {
  return readState(statePath, (db) => db.prepare('SELECT holder, pid FROM lease').all() as Array<{ holder: string; pid: number }>);
}

export function runs(statePath: string): Array<{ seq: number; id: string; status: string; startedAt: string; finishedAt: string | null; notes: string | null }> {
  return readState(
    statePath,
    (db) => db.prepare('SELECT seq, id, status, started_at AS startedAt, finished_at AS finishedAt, notes FROM runs ORDER BY seq').all() as ReturnType<typeof runs>,
  );
}

/** Sink record ids with a landed write of `op` in the journal. */
export function journalled(statePath: string, op: 'create' | 'relate'): Set<string> {
  return new Set(journal(statePath).filter((j) => j.op === op && j.result === 'ok' && j.recordId !== null).map((j) => j.recordId as string));
}
