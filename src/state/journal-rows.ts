import type { Db } from './db';
import { decodeEntry, type DecodedEntry } from './journal-codec';
import type { KeyIds } from './keys';
import { namesOf } from './names';
import { prepared } from './prepared';

/** A journal entry read back for the audit and history commands: as written, its payload unpacked into `changes`, with its row and run ids. */
export interface JournalRow extends DecodedEntry {
  runId: string;
}

type Row = Record<string, string | number | Buffer | null>;

/**
 * Every write to these keys, or to a relation touching one, once each, in
 * the order they landed; with `run`, that run's only. By the journal's
 * (key_id, run) and (other_key_id, run) indexes.
 */
export function journalRowsOf(db: Db, keys: KeyIds, ids: readonly number[], run?: number): JournalRow[] {
  const select = 'SELECT j.*, r.id AS run_id FROM journal_rows j JOIN runs r ON r.seq = j.run WHERE';
  const inRun = run === undefined ? '' : ' AND j.run = ?';
  const statements = [prepared(db, `${select} j.key_id = ?${inRun}`), prepared(db, `${select} j.other_key_id = ?${inRun}`)];
  const rows = new Map<number, Row>();
  for (const id of ids) {
    for (const stmt of statements) for (const r of (run === undefined ? stmt.all(id) : stmt.all(id, run)) as Row[]) rows.set(r.id as number, r);
  }
  const names = namesOf(db);
  return [...rows.values()].sort((a, b) => (a.id as number) - (b.id as number)).map((r) => {
    const { id, run: seq, ...entry } = decodeEntry(r, names, keys);
    return { id, run: seq, runId: r.run_id as string, ...entry };
  });
}
