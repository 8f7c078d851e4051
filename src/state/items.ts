import { canonicalJson, canonicalJsonWithout, itemDigest, type InventoryItem } from '../inventory';
import { packJson, unpack } from './codec';
import type { Db } from './db';
import { dictionaryFor } from './dictionaries';
import { historyHead, recordHistory, VOLATILE } from './item-history';
import { instantFromDb, instantToMs } from './compact-values';
import type { KeyIds } from './keys';
import { namesOf } from './names';
import { prepared } from './prepared';

const OWN = new Set(['key', 'kind', 'source', 'name', 'observedAt']);
/** Bytes of an item's digest its row keeps. */
const HASH_BYTES = 16;

/**
 * What each source held: one row per item key, rewritten only when the
 * item's content changes (`changed_at`), so a no-op run writes nothing here.
 * A model's or version's registry content lives in its history row (written
 * here when it changes); its item row keeps only what moves every day
 * (usage, cost, findings). A deployment's row keeps all of it.
 */
export function recordItems(db: Db, keys: KeyIds, items: readonly InventoryItem[], at: string): { added: number; changed: number } {
  // Read by the column, hashes as hex text: a row object and a Buffer per stored item cost more than comparing them.
  const { ids, hashes, gone } = db.transaction(() => ({
    ids: prepared(db, 'SELECT id FROM items ORDER BY id').pluck().all() as number[],
    hashes: prepared(db, 'SELECT lower(hex(hash)) FROM items ORDER BY id').pluck().all() as string[],
    gone: new Set(prepared(db, 'SELECT id FROM items WHERE gone_at IS NOT NULL').pluck().all() as number[]),
  }))();
  const known = new Map<number, string>();
  for (let i = 0; i < ids.length; i++) known.set(ids[i] as number, hashes[i] as string);
  const insert = prepared(
    db,
    `INSERT INTO items (id, kind, source, name, hash, data, first_seen, changed_at, gone_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
     ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, source = excluded.source, name = excluded.name, hash = excluded.hash,
       data = excluded.data, changed_at = excluded.changed_at, gone_at = NULL`,
  );
  const revive = prepared(db, 'UPDATE items SET gone_at = NULL, changed_at = ? WHERE id = ?');
  const dictionary = dictionaryFor(db, 'item');
  const names = namesOf(db);
  const ms = instantToMs(at);
  let added = 0;
  let changed = 0;
  db.transaction(() => {
    for (const item of items) {
      const id = keys.idOf(item.key);
      const digest = itemDigest(item);
      const before = known.get(id);
      if (before === digest.toString('hex', 0, HASH_BYTES)) {
        if (gone.has(id)) revive.run(ms, id);
        continue;
      }
      let data: string;
      if (item.kind === 'deployment') data = canonicalJsonWithout(item, OWN);
      else {
        recordHistory(db, id, item, at, dictionary);
        data = canonicalJson(volatileOf(item));
      }
      insert.run(id, names.id(item.kind), item.source, item.name, digest.subarray(0, HASH_BYTES), packJson(data, dictionary), ms, ms);
      if (before !== undefined) changed++;
      else added++;
    }
  })();
  return { added, changed };
}

function volatileOf(item: InventoryItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of VOLATILE) if ((item as Record<string, unknown>)[k] !== undefined) out[k] = (item as Record<string, unknown>)[k];
  return out;
}

/** Items of the given sources not seen this run, and allowed to go (their scope read fine), are gone from the platform; returns their keys. */
export function markGone(db: Db, keys: KeyIds, sources: readonly string[], seen: ReadonlySet<string>, mayGo: (source: string, key: string) => boolean, at: string): Set<string> {
  const mark = prepared(db, 'UPDATE items SET gone_at = ? WHERE id = ?');
  const gone = new Set<string>();
  db.transaction(() => {
    for (const source of sources) {
      for (const id of prepared(db, 'SELECT id FROM items WHERE source = ? AND gone_at IS NULL').pluck().all(source) as number[]) {
        const key = keys.keyOf(id);
        if (seen.has(key) || !mayGo(source, key)) continue;
        mark.run(at, id);
        gone.add(key);
      }
    }
  })();
  return gone;
}

/** A stored item row with its kind's name and its instants as ISO text, as readers see it. */
export function itemRow(db: Db, r: Record<string, unknown>): { id: number; kind: string; source: string; name: string; data: unknown; firstSeen: string; changedAt: string; goneAt?: string } {
  return {
    id: Number(r.id),
    kind: namesOf(db).name(r.kind as number),
    source: r.source as string,
    name: r.name as string,
    data: r.data,
    firstSeen: instantFromDb(r.first_seen),
    changedAt: instantFromDb(r.changed_at),
    ...(r.gone_at !== null && r.gone_at !== undefined ? { goneAt: r.gone_at as string } : {}),
  };
}

/** The content of a stored item row: for a model or version, its last history row with the row's own daily facts over it. */
export function storedData(db: Db, row: { id: number | bigint; kind: unknown; data: unknown }): Record<string, unknown> {
  const own = unpack<Record<string, unknown>>(row.data as Buffer | string);
  if (row.kind === 'deployment') return own;
  // Rows written before version 5 hold their whole content; the history then says the same.
  return { ...historyHead(db, Number(row.id)), ...own };
}

/** The item as last recorded, or undefined. */
export function readItem(db: Db, keys: KeyIds, key: string): (InventoryItem & { firstSeen: string; changedAt: string; goneAt?: string }) | undefined {
  const id = keys.find(key);
  if (id === undefined) return undefined;
  const stored = prepared(db, 'SELECT * FROM items WHERE id = ?').get(id) as Record<string, unknown> | undefined;
  if (!stored) return undefined;
  const r = itemRow(db, stored);
  const data = storedData(db, r);
  return { ...data, key, kind: r.kind, source: r.source, name: r.name, observedAt: r.changedAt, firstSeen: r.firstSeen, changedAt: r.changedAt, goneAt: r.goneAt } as InventoryItem & {
    firstSeen: string;
    changedAt: string;
    goneAt?: string;
  };
}

/** Every item as last recorded that is still present in its source (not gone): what reports and audits read. */
export function currentItems(db: Db, keys: KeyIds): Array<InventoryItem & { firstSeen: string; changedAt: string }> {
  const rows = prepared(db, 'SELECT * FROM items WHERE gone_at IS NULL ORDER BY id').all() as Array<Record<string, unknown>>;
  return rows.map((stored) => {
    const r = itemRow(db, stored);
    const data = storedData(db, r);
    return { ...data, key: keys.keyOf(r.id), kind: r.kind, source: r.source, name: r.name, observedAt: r.changedAt, firstSeen: r.firstSeen, changedAt: r.changedAt } as InventoryItem & { firstSeen: string; changedAt: string };
  });
}

/** Keys of one kind that were recorded once and are gone from their source now. */
export function goneKeys(db: Db, keys: KeyIds, kind: string): Set<string> {
  const rows = prepared(db, 'SELECT id FROM items WHERE kind = ? AND gone_at IS NOT NULL').all(namesOf(db).find(kind)) as Array<{ id: number }>;
  return new Set(rows.map((r) => keys.keyOf(r.id)));
}

export function itemCounts(db: Db): Array<{ source: string; kind: string; active: number; retired: number }> {
  const names = namesOf(db);
  const rows = prepared(db, 'SELECT source, kind, SUM(gone_at IS NULL) AS active, SUM(gone_at IS NOT NULL) AS retired FROM items GROUP BY source, kind').all() as Array<{
    source: string;
    kind: number;
    active: number;
    retired: number;
  }>;
  const named = rows.map((r) => ({ ...r, kind: names.name(r.kind) }));
  return named.sort((a, b) => compare(a.source, b.source) || compare(a.kind, b.kind));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
