import { instantFromDb, instantToDb, recordIdToDb } from './compact-values';
import type { Db } from './db';
import { decodeEntry, entryColumns } from './journal-codec';
import type { KeyIds } from './keys';
import { namesOf } from './names';
import { prepared } from './prepared';

/** `sent`: an insert on its way, written before it is sent; its outcome replaces it. Left `sent`, the process died waiting. */
export type JournalResult = 'ok' | 'error' | 'unknown' | 'sent';

export interface JournalEntry {
  /** The run's number (`runs.seq`). */
  run: number;
  sink: string;
  op: string;
  kind: string;
  key: string;
  /** The other end of a relation. */
  otherKey?: string;
  recordId?: string;
  /** field → {from, to}; for relations, their type and holder. */
  changes: unknown;
  /**
   * A create's payload as it is stored: exactly the values it wrote, packed
   * (shared with its link), with `labels` apart; read back as `changes`.
   */
  packed?: Buffer;
  /** What a create's reference values name (field → "alice"). */
  labels?: Record<string, string>;
  /** `unknown`: sent, but whether it landed is not known yet; the next run settles it. */
  result: JournalResult;
  error?: string;
  at: string;
}

/** The journal row that holds a create's packed payload, by the very bytes (see `journalRowHolding`). */
const payloadRows = new WeakMap<Buffer, { db: Db; id: number; sink: number; keyId: number }>();

/**
 * Every write to a sink, as it completes (an insert also as it is sent): the
 * audit trail and the crash-recovery record. Entries of one batch land in one
 * transaction. Returns the entries' row ids, in order.
 */
export function appendJournal(db: Db, keys: KeyIds, entries: readonly JournalEntry[]): number[] {
  const names = namesOf(db);
  const stmt = prepared(
    db,
    `INSERT INTO journal_rows (run, sink, op, kind, key_id, other_key_id, rel_type, holder, record_id, changes, labels, result, error, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction(() =>
    entries.map((e) => {
      const columns = entryColumns(e, names, keys);
      const id = Number(stmt.run(e.run, ...columns).lastInsertRowid);
      if (e.packed && e.op === 'create') payloadRows.set(e.packed, { db, id, sink: columns[0] as number, keyId: columns[3] as number });
      return id;
    }),
  )();
}

/**
 * The journal row of this sink and key whose create payload is exactly these
 * packed bytes, if this process wrote one: a link whose values are its
 * create's payload names that row instead of storing the bytes again. The
 * row is checked in the file (a rolled-back transaction may have taken it).
 */
export function journalRowHolding(db: Db, packed: Buffer, sink: number, keyId: number): number | undefined {
  const row = payloadRows.get(packed);
  if (!row || row.db !== db || row.sink !== sink || row.keyId !== keyId) return undefined;
  const held = prepared(db, 'SELECT 1 FROM journal_rows WHERE id = ? AND sink = ? AND key_id = ? AND changes = ?').get(row.id, sink, keyId, packed);
  return held ? row.id : undefined;
}

/** Give `sent` entries their outcome, in place: one row per write, whatever became of it; what it sends was written with it. */
export function completeJournal(db: Db, done: ReadonlyArray<{ id: number; entry: Pick<JournalEntry, 'recordId' | 'result' | 'error' | 'at'> }>): void {
  const names = namesOf(db);
  const stmt = prepared(db, 'UPDATE journal_rows SET record_id = ?, result = ?, error = ?, at = ? WHERE id = ?');
  db.transaction(() => {
    for (const { id, entry: e } of done) stmt.run(e.recordId === undefined ? null : recordIdToDb(e.recordId), names.id(e.result), e.error ?? null, instantToDb(e.at), id);
  })();
}

/** Writes of one run by op and result: what was applied, as opposed to what was planned. */
export function journalCounts(db: Db, run: number): Array<{ op: string; result: JournalResult; n: number }> {
  const names = namesOf(db);
  const rows = prepared(db, 'SELECT op, result, COUNT(*) AS n FROM journal_rows WHERE run = ? GROUP BY op, result').all(run) as Array<{ op: number; result: number; n: number }>;
  return rows.map((r) => ({ op: names.name(r.op), result: names.name(r.result) as JournalResult, n: r.n }));
}

/** Of these keys, those masync sent a create for to this sink (landed, unknown, or sent by a run that died): duplicates of them are masync's own. */
export function keysCreatedBy(db: Db, keys: KeyIds, sink: string, candidates: Iterable<string>): Set<string> {
  const names = namesOf(db);
  const stmt = prepared(db, 'SELECT 1 FROM journal_rows WHERE key_id = ? AND sink = ? AND op = ? AND result IN (?, ?, ?) LIMIT 1');
  const codes = [names.find(sink), names.find('create'), names.find('ok'), names.find('unknown'), names.find('sent')];
  const out = new Set<string>();
  for (const key of candidates) {
    const id = keys.find(key);
    if (id !== undefined && stmt.get(id, ...codes)) out.add(key);
  }
  return out;
}

/**
 * Creates an earlier run sent without learning their outcome (left unknown,
 * or still `sent` because the process died): such an insert may land late,
 * so it is looked up before its key is created again. By `sink \0 key`, with
 * when it was sent; read once per run, in one query, not once per create.
 */
export function unsettledCreates(db: Db, keys: KeyIds): Map<string, string> {
  const names = namesOf(db);
  const out = new Map<string, string>();
  const rows = prepared(
    db,
    `SELECT j.key_id, j.sink, j.result, j.at FROM journal_rows j
     JOIN (SELECT MAX(id) AS id FROM journal_rows WHERE op = ? GROUP BY key_id, sink) last ON last.id = j.id`,
  ).all(names.find('create')) as Array<{ key_id: number; sink: number; result: number; at: number | string }>;
  for (const r of rows) {
    const result = names.name(r.result);
    if (result === 'unknown' || result === 'sent') out.set(`${names.name(r.sink)}\u0000${keys.keyOf(r.key_id)}`, instantFromDb(r.at));
  }
  return out;
}

/** One key's journal, oldest first, for `masync history`. */
export function journalFor(db: Db, keys: KeyIds, key: string): Array<Omit<JournalEntry, 'run'> & { runId: string }> {
  const id = keys.find(key);
  if (id === undefined) return [];
  const names = namesOf(db);
  const rows = prepared(db, 'SELECT r.id AS run_id, j.* FROM journal_rows j JOIN runs r ON r.seq = j.run WHERE j.key_id = ? OR j.other_key_id = ? ORDER BY j.id').all(id, id) as Array<
    Record<string, string | number | Buffer | null>
  >;
  return rows.map((r) => {
    const { id: _id, run: _run, ...entry } = decodeEntry(r, names, keys);
    return { runId: r.run_id as string, ...entry };
  });
}

/**
 * Retention: a create's full payload (every field it wrote) is the bulk of
 * the journal and is only needed while it is recent. After `days`, the entry
 * stays (which record, when, by which run, the result) and its payload goes;
 * a link that named the row for its values gets them back first.
 */
export function pruneCreatePayloads(db: Db, olderThan: string): number {
  const names = namesOf(db);
  const cutoff = instantToDb(olderThan);
  const create = names.find('create');
  // An instant kept as text (one not written the way masync writes them) is compared as text.
  const due = prepared(
    db,
    `SELECT id, sink, key_id, changes FROM journal_rows
     WHERE op = @create AND changes IS NOT NULL AND (at < @cutoff OR (typeof(at) = 'text' AND at < @iso))`,
  ).all({ create, cutoff, iso: olderThan }) as Array<{
    id: number;
    sink: number;
    key_id: number;
    changes: Buffer;
  }>;
  if (due.length === 0) return 0;
  const keep = prepared(db, 'UPDATE link_rows SET applied = ?, applied_from = NULL WHERE sink = ? AND id = ? AND applied_from = ?');
  const prune = prepared(db, 'UPDATE journal_rows SET changes = NULL, labels = NULL WHERE id = ?');
  db.transaction(() => {
    for (const r of due) {
      keep.run(r.changes, r.sink, r.key_id, r.id);
      prune.run(r.id);
    }
  })();
  return due.length;
}
