import { pack, unpack } from './codec';
import type { Db } from './db';
import type { KeyIds } from './keys';
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

/**
 * Every write to a sink, as it completes (an insert also as it is sent): the
 * audit trail and the crash-recovery record. Entries of one batch land in one
 * transaction. Returns the entries' row ids, in order.
 */
export function appendJournal(db: Db, keys: KeyIds, entries: readonly JournalEntry[]): number[] {
  const stmt = prepared(
    db,
    `INSERT INTO journal (run, sink, op, kind, key_id, other_key_id, record_id, changes, labels, result, error, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction(() =>
    entries.map((e) => {
      const labels = e.labels && Object.keys(e.labels).length > 0 ? pack(e.labels) : null;
      const otherKey = e.otherKey === undefined ? null : keys.idOf(e.otherKey);
      return Number(stmt.run(e.run, e.sink, e.op, e.kind, keys.idOf(e.key), otherKey, e.recordId ?? null, e.packed ?? pack(e.changes), labels, e.result, e.error ?? null, e.at).lastInsertRowid);
    }),
  )();
}

/** Give `sent` entries their outcome, in place: one row per write, whatever became of it; what it sends was written with it. */
export function completeJournal(db: Db, done: ReadonlyArray<{ id: number; entry: Pick<JournalEntry, 'recordId' | 'result' | 'error' | 'at'> }>): void {
  const stmt = prepared(db, 'UPDATE journal SET record_id = ?, result = ?, error = ?, at = ? WHERE id = ?');
  db.transaction(() => {
    for (const { id, entry: e } of done) stmt.run(e.recordId ?? null, e.result, e.error ?? null, e.at, id);
  })();
}

/**
 * A journal row's changes as every reader sees them: field → {from, to}. A
 * create stored as the values it wrote (and the labels of its references)
 * is read back in that shape; older rows hold it already.
 */
export function journalChanges(row: { op: unknown; changes: unknown; labels?: unknown }): unknown {
  if (row.changes === null || row.changes === undefined) return null;
  const changes = unpack(row.changes as Buffer);
  if (row.op !== 'create' || !isValues(changes)) return changes;
  const labels = row.labels ? unpack<Record<string, string>>(row.labels as Buffer) : {};
  const out: Record<string, { from: null; to: string; toLabel?: string }> = {};
  for (const [field, to] of Object.entries(changes)) out[field] = labels[field] === undefined ? { from: null, to } : { from: null, to, toLabel: labels[field] };
  return out;
}

function isValues(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

/** Writes of one run by op and result: what was applied, as opposed to what was planned. */
export function journalCounts(db: Db, run: number): Array<{ op: string; result: JournalResult; n: number }> {
  return prepared(db, 'SELECT op, result, COUNT(*) AS n FROM journal WHERE run = ? GROUP BY op, result').all(run) as Array<{ op: string; result: JournalResult; n: number }>;
}

/** Of these keys, those masync sent a create for to this sink (landed, unknown, or sent by a run that died): duplicates of them are masync's own. */
export function keysCreatedBy(db: Db, keys: KeyIds, sink: string, candidates: Iterable<string>): Set<string> {
  const stmt = prepared(db, `SELECT 1 FROM journal WHERE key_id = ? AND sink = ? AND op = 'create' AND result IN ('ok', 'unknown', 'sent') LIMIT 1`);
  const out = new Set<string>();
  for (const key of candidates) {
    const id = keys.find(key);
    if (id !== undefined && stmt.get(id, sink)) out.add(key);
  }
  return out;
}

/**
 * When an earlier run sent the last create of this key to this sink without
 * learning its outcome (left unknown, or still `sent` because the process
 * died), or undefined: such an insert may land late, so it is looked up
 * before the key is created again.
 */
export function unsettledCreateAt(db: Db, keys: KeyIds, sink: string, key: string): string | undefined {
  const id = keys.find(key);
  if (id === undefined) return undefined;
  const last = prepared(db, `SELECT result, at FROM journal WHERE key_id = ? AND sink = ? AND op = 'create' ORDER BY id DESC LIMIT 1`).get(id, sink) as { result: JournalResult; at: string } | undefined;
  return last && (last.result === 'unknown' || last.result === 'sent') ? last.at : undefined;
}

/** One key's journal, oldest first, for `masync history`. */
export function journalFor(db: Db, keys: KeyIds, key: string): Array<Omit<JournalEntry, 'run'> & { runId: string }> {
  const id = keys.find(key);
  if (id === undefined) return [];
  const rows = prepared(
    db,
    `SELECT r.id AS run_id, j.* FROM journal j JOIN runs r ON r.seq = j.run WHERE j.key_id = ? OR j.other_key_id = ? ORDER BY j.id`,
  ).all(id, id) as Array<Record<string, string | number | Buffer | null>>;
  return rows.map((r) => ({
    runId: r.run_id as string,
    sink: r.sink as string,
    op: r.op as string,
    kind: r.kind as string,
    key: keys.keyOf(r.key_id as number),
    otherKey: r.other_key_id === null ? undefined : keys.keyOf(r.other_key_id as number),
    recordId: (r.record_id as string | null) ?? undefined,
    changes: journalChanges(r as { op: unknown; changes: unknown; labels?: unknown }),
    result: r.result as JournalResult,
    error: (r.error as string | null) ?? undefined,
    at: r.at as string,
  }));
}

/**
 * Retention: a create's full payload (every field it wrote) is the bulk of
 * the journal and is only needed while it is recent. After `days`, the entry
 * stays (which record, when, by which run, the result) and its payload goes.
 */
export function pruneCreatePayloads(db: Db, olderThan: string): number {
  return prepared(db, `UPDATE journal SET changes = NULL, labels = NULL WHERE op = 'create' AND at < ? AND changes IS NOT NULL`).run(olderThan).changes;
}
