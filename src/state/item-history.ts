import { canonicalJson, canonicalJsonWithout, digest, type InventoryItem } from '../inventory';
import { pack, packJson, unpack, type Dictionary } from './codec';
import type { Db } from './db';
import { instantFromDb, instantToMs } from './compact-values';
import type { KeyIds } from './keys';
import { prepared } from './prepared';

/** Enrichment facts that change every day: kept in `costs`, `findings` and the item, never in its history. */
export const VOLATILE = ['usage', 'cost', 'findings'] as const;

/** What an item row holds apart from its content: its identity and when it was observed. */
const OWN = ['key', 'kind', 'source', 'name', 'observedAt'];
const NOT_HISTORY = new Set<string>([...OWN, ...VOLATILE]);

export type HistoryEvent = 'seen' | 'gone' | 'back';

/** One step of an item's past. `seen`: its content from `at` on; `gone`: left its source; `back`: seen again unchanged. */
export interface ItemHistoryRow {
  at: string;
  event: HistoryEvent;
  /** For `seen`: the item's fields (no key, kind, source or name: those are the item's own), without usage, cost and findings. */
  data?: Record<string, unknown>;
}

/** An item's registry content as its history keeps it: canonical JSON without its identity and daily facts. */
export function historyJson(item: InventoryItem): string {
  return canonicalJsonWithout(item, NOT_HISTORY);
}

/** The history form of an item's stored data: its volatile facts dropped, and a hash to tell a real change. */
export function historyRow(stored: Buffer | string): { hash: Buffer; data: Buffer } {
  const data = unpack<Record<string, unknown>>(stored);
  const volatile = VOLATILE.some((k) => k in data);
  for (const k of VOLATILE) delete data[k];
  const hash = digest(canonicalJson(data)).subarray(0, 16);
  return { hash, data: volatile || typeof stored === 'string' ? pack(data) : stored };
}

/**
 * A model's or version's registry content at `at`, from the item in memory:
 * a history row when it differs from the last one (a deployment's past is
 * its observation intervals, which follow what it serves and runs on).
 * Returns whether a row was written.
 */
export function recordHistory(db: Db, id: number, item: InventoryItem, at: string, dictionary: Dictionary | undefined): boolean {
  const json = historyJson(item);
  const hash = digest(json).subarray(0, 16);
  const before = prepared(db, `SELECT hash FROM item_history WHERE key_id = ? AND event = 'seen' ORDER BY at DESC LIMIT 1`).get(id) as { hash: Buffer } | undefined;
  if (before?.hash.equals(hash)) return false;
  prepared(db, `INSERT OR REPLACE INTO item_history (key_id, at, event, hash, data) VALUES (?, ?, 'seen', ?, ?)`).run(id, instantToMs(at), hash, packJson(json, dictionary));
  return true;
}

/**
 * How many models and versions got a history row at `at`: new ones, and
 * ones whose content changed. `recordItems` writes the rows; this counts them.
 */
export function recordItemHistory(db: Db, at: string): { added: number; changed: number } {
  const r = prepared(
    db,
    `SELECT COUNT(*) AS n, SUM(EXISTS (SELECT 1 FROM item_history e WHERE e.key_id = h.key_id AND e.event = 'seen' AND e.at < h.at)) AS changed
     FROM item_history h WHERE h.at = ? AND h.event = 'seen'`,
  ).get(instantToMs(at)) as { n: number; changed: number | null };
  return { added: r.n - (r.changed ?? 0), changed: r.changed ?? 0 };
}

/** The content of a model's or version's last history row, which its item row does not repeat. */
export function historyHead(db: Db, id: number): Record<string, unknown> | undefined {
  const r = prepared(db, `SELECT data FROM item_history WHERE key_id = ? AND event = 'seen' ORDER BY at DESC LIMIT 1`).get(id) as { data: Buffer | null } | undefined;
  return r?.data ? unpack<Record<string, unknown>>(r.data) : undefined;
}

/** Every recorded step of one item, oldest first. */
export function itemHistory(db: Db, keys: KeyIds, key: string): ItemHistoryRow[] {
  const id = keys.find(key);
  if (id === undefined) return [];
  const rows = prepared(db, 'SELECT at, event, data FROM item_history WHERE key_id = ? ORDER BY at, event DESC').all(id) as Array<{ at: number; event: HistoryEvent; data: Buffer | null }>;
  return rows.map((r) => ({ at: instantFromDb(r.at), event: r.event, ...(r.data ? { data: unpack<Record<string, unknown>>(r.data) } : {}) }));
}

/** What the item was at `at`: its content then, since when, and whether it had left its source. Undefined before state knew it. */
export function itemAsOf(db: Db, keys: KeyIds, key: string, at: string): { data: Record<string, unknown>; since: string; gone: boolean } | undefined {
  const id = keys.find(key);
  if (id === undefined) return undefined;
  const seen = prepared(db, `SELECT at, data FROM item_history WHERE key_id = ? AND event = 'seen' AND at <= ? ORDER BY at DESC LIMIT 1`).get(id, instantToMs(at)) as { at: number; data: Buffer } | undefined;
  if (!seen) return undefined;
  const last = prepared(db, `SELECT event FROM item_history WHERE key_id = ? AND event != 'seen' AND at <= ? ORDER BY at DESC LIMIT 1`).get(id, instantToMs(at)) as { event: HistoryEvent } | undefined;
  return { data: unpack<Record<string, unknown>>(seen.data), since: instantFromDb(seen.at), gone: last?.event === 'gone' };
}
