import { createHash } from 'node:crypto';
import { canonicalJson } from '../inventory';
import { pack, unpack } from './codec';
import type { Db } from './db';
import type { KeyIds } from './keys';
import { prepared } from './prepared';

/** Enrichment facts that change every day: kept in `costs`, `findings` and the item, never in its history. */
const VOLATILE = ['usage', 'cost', 'findings'] as const;

export type HistoryEvent = 'seen' | 'gone' | 'back';

/** One step of an item's past. `seen`: its content from `at` on; `gone`: left its source; `back`: seen again unchanged. */
export interface ItemHistoryRow {
  at: string;
  event: HistoryEvent;
  /** For `seen`: the item's fields (no key, kind, source or name: those are the item's own), without usage, cost and findings. */
  data?: Record<string, unknown>;
}

/** The history form of an item's stored data: its volatile facts dropped, and a hash to tell a real change. */
export function historyRow(stored: Buffer | string): { hash: Buffer; data: Buffer } {
  const data = unpack<Record<string, unknown>>(stored);
  const volatile = VOLATILE.some((k) => k in data);
  for (const k of VOLATILE) delete data[k];
  const hash = createHash('sha256').update(canonicalJson(data)).digest().subarray(0, 16);
  return { hash, data: volatile || typeof stored === 'string' ? pack(data) : stored };
}

/**
 * After the items of a run are recorded at `at`: each model and version
 * written then whose registry content differs from its last history row gets
 * a new row. Work is in proportion to what changed (`items.changed_at` is
 * indexed). A deployment's history is its observation intervals, which
 * already follow what it serves and runs on (and autoscaling moves it often).
 */
export function recordItemHistory(db: Db, at: string): { added: number; changed: number } {
  const rows = prepared(db, `SELECT id, data FROM items WHERE changed_at = ? AND kind != 'deployment'`).all(at) as Array<{ id: number; data: Buffer }>;
  const head = prepared(db, `SELECT hash FROM item_history WHERE key_id = ? AND event = 'seen' ORDER BY at DESC LIMIT 1`);
  const put = prepared(db, `INSERT OR REPLACE INTO item_history (key_id, at, event, hash, data) VALUES (?, ?, 'seen', ?, ?)`);
  let added = 0;
  let changed = 0;
  for (const r of rows) {
    const row = historyRow(r.data);
    const before = head.get(r.id) as { hash: Buffer } | undefined;
    if (before?.hash.equals(row.hash)) continue;
    put.run(r.id, at, row.hash, row.data);
    if (before) changed++;
    else added++;
  }
  return { added, changed };
}

/** Every recorded step of one item, oldest first. */
export function itemHistory(db: Db, keys: KeyIds, key: string): ItemHistoryRow[] {
  const id = keys.find(key);
  if (id === undefined) return [];
  const rows = prepared(db, 'SELECT at, event, data FROM item_history WHERE key_id = ? ORDER BY at, event DESC').all(id) as Array<{ at: string; event: HistoryEvent; data: Buffer | null }>;
  return rows.map((r) => ({ at: r.at, event: r.event, ...(r.data ? { data: unpack<Record<string, unknown>>(r.data) } : {}) }));
}

/** What the item was at `at`: its content then, since when, and whether it had left its source. Undefined before state knew it. */
export function itemAsOf(db: Db, keys: KeyIds, key: string, at: string): { data: Record<string, unknown>; since: string; gone: boolean } | undefined {
  const id = keys.find(key);
  if (id === undefined) return undefined;
  const seen = prepared(db, `SELECT at, data FROM item_history WHERE key_id = ? AND event = 'seen' AND at <= ? ORDER BY at DESC LIMIT 1`).get(id, at) as { at: string; data: Buffer } | undefined;
  if (!seen) return undefined;
  const last = prepared(db, `SELECT event FROM item_history WHERE key_id = ? AND event != 'seen' AND at <= ? ORDER BY at DESC LIMIT 1`).get(id, at) as { event: HistoryEvent } | undefined;
  return { data: unpack<Record<string, unknown>>(seen.data), since: seen.at, gone: last?.event === 'gone' };
}
