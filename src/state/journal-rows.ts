import type { Db } from './db';
import { journalChanges, type JournalEntry, type JournalResult } from './journal';
import type { KeyIds } from './keys';
import { prepared } from './prepared';

/** A journal entry read back for the audit and history commands: as written, its payload unpacked into `changes`, with its row and run ids. */
export interface JournalRow extends Omit<JournalEntry, 'packed' | 'labels'> {
  id: number;
  runId: string;
}

type Row = Record<string, string | number | Buffer | null>;

/**
 * Every write to these keys, or to a relation touching one, once each, in
 * the order they landed; with `run`, that run's only. By the journal's
 * (key_id, run) and (other_key_id, run) indexes.
 */
export function journalRowsOf(db: Db, keys: KeyIds, ids: readonly number[], run?: number): JournalRow[] {
  const select = 'SELECT j.*, r.id AS run_id FROM journal j JOIN runs r ON r.seq = j.run WHERE';
  const inRun = run === undefined ? '' : ' AND j.run = ?';
  const statements = [prepared(db, `${select} j.key_id = ?${inRun}`), prepared(db, `${select} j.other_key_id = ?${inRun}`)];
  const rows = new Map<number, Row>();
  for (const id of ids) {
    for (const stmt of statements) for (const r of (run === undefined ? stmt.all(id) : stmt.all(id, run)) as Row[]) rows.set(r.id as number, r);
  }
  return [...rows.values()].sort((a, b) => (a.id as number) - (b.id as number)).map((r) => rowOf(r, keys));
}

function rowOf(r: Row, keys: KeyIds): JournalRow {
  return {
    id: r.id as number,
    run: r.run as number,
    runId: r.run_id as string,
    sink: r.sink as string,
    op: r.op as string,
    kind: r.kind as string,
    key: keys.keyOf(r.key_id as number),
    ...(r.other_key_id !== null ? { otherKey: keys.keyOf(r.other_key_id as number) } : {}),
    ...(r.record_id !== null ? { recordId: r.record_id as string } : {}),
    changes: journalChanges(r as { op: unknown; changes: unknown; labels?: unknown }),
    result: r.result as JournalResult,
    ...(r.error !== null ? { error: r.error as string } : {}),
    at: r.at as string,
  };
}
