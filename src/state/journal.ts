import { pack, unpack } from './codec';
import type { Db } from './db';
import type { KeyIds } from './keys';
import { prepared } from './prepared';

export type JournalResult = 'ok' | 'error' | 'unknown';

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
  /** `unknown`: sent, but whether it landed is not known yet; the next run settles it. */
  result: JournalResult;
  error?: string;
  at: string;
}

/**
 * Every write to a sink, as it completes: the audit trail and the
 * crash-recovery record. Entries of one batch land in one transaction.
 */
export function appendJournal(db: Db, keys: KeyIds, entries: readonly JournalEntry[]): void {
  const stmt = prepared(
    db,
    `INSERT INTO journal (run, sink, op, kind, key_id, other_key_id, record_id, changes, result, error, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const e of entries) {
      stmt.run(e.run, e.sink, e.op, e.kind, keys.idOf(e.key), e.otherKey === undefined ? null : keys.idOf(e.otherKey), e.recordId ?? null, pack(e.changes), e.result, e.error ?? null, e.at);
    }
  })();
}

/** Writes of one run by op and result: what was applied, as opposed to what was planned. */
export function journalCounts(db: Db, run: number): Array<{ op: string; result: JournalResult; n: number }> {
  return prepared(db, 'SELECT op, result, COUNT(*) AS n FROM journal WHERE run = ? GROUP BY op, result').all(run) as Array<{ op: string; result: JournalResult; n: number }>;
}

/** Of these keys, those masync sent a create for to this sink (landed or unknown): duplicates of them are masync's own. */
export function keysCreatedBy(db: Db, keys: KeyIds, sink: string, candidates: Iterable<string>): Set<string> {
  const stmt = prepared(db, `SELECT 1 FROM journal WHERE key_id = ? AND sink = ? AND op = 'create' AND result IN ('ok', 'unknown') LIMIT 1`);
  const out = new Set<string>();
  for (const key of candidates) {
    const id = keys.find(key);
    if (id !== undefined && stmt.get(id, sink)) out.add(key);
  }
  return out;
}

/** Creates whose outcome a run left unknown, per sink and key: the next run settles them. */
export function unsettledCreates(db: Db, keys: KeyIds, sink: string): Set<string> {
  const rows = prepared(
    db,
    `SELECT DISTINCT key_id FROM journal j WHERE sink = ? AND op = 'create' AND result = 'unknown'
       AND NOT EXISTS (SELECT 1 FROM journal k WHERE k.key_id = j.key_id AND k.sink = j.sink AND k.op = 'create' AND k.result = 'ok' AND k.id > j.id)`,
  ).all(sink) as Array<{ key_id: number }>;
  return new Set(rows.map((r) => keys.keyOf(r.key_id)));
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
    changes: r.changes === null ? null : unpack(r.changes as Buffer),
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
  return prepared(db, `UPDATE journal SET changes = NULL WHERE op = 'create' AND at < ? AND changes IS NOT NULL`).run(olderThan).changes;
}
