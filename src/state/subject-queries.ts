import { titleOf, type InventoryItem } from '../inventory';
import type { Db } from './db';
import { itemRow, storedData } from './items';
import { namesOf } from './names';
import type { KeyIds } from './keys';
import { prepared } from './prepared';

/** An item as state holds it now (gone ones included), for the audit and history commands. */
export interface StoredItem {
  id: number;
  key: string;
  kind: InventoryItem['kind'];
  source: string;
  name: string;
  firstSeen: string;
  goneAt?: string;
  data: Record<string, unknown>;
  /** "fraud-detector v3", an endpoint, "endpoint/component". */
  title: string;
}

/** Items (gone ones too) with this name, of one kind or any, by the `items(name, kind)` index. */
export function itemsNamed(db: Db, keys: KeyIds, name: string, kind?: string): StoredItem[] {
  const rows = (kind === undefined ? prepared(db, 'SELECT * FROM items WHERE name = ?').all(name) : prepared(db, 'SELECT * FROM items WHERE name = ? AND kind = ?').all(name, namesOf(db).find(kind))) as Row[];
  return rows.map((r) => toItem(db, r, keys));
}

export function storedItem(db: Db, keys: KeyIds, key: string): StoredItem | undefined {
  const id = keys.find(key);
  const r = id === undefined ? undefined : (prepared(db, 'SELECT * FROM items WHERE id = ?').get(id) as Row | undefined);
  return r && toItem(db, r, keys);
}

/** Every version state holds of a model (gone ones too): its name's versions that name it as their model. */
export function versionsOf(db: Db, keys: KeyIds, model: StoredItem): StoredItem[] {
  return itemsNamed(db, keys, model.name, 'model_version').filter((v) => v.data.versionOf === model.key);
}

/** The run that recorded something at `at`: the last one started by then (runs never overlap: they hold the lease). */
export function runAt(db: Db, at: string): { seq: number; id: string } | undefined {
  return prepared(db, 'SELECT seq, id FROM runs WHERE started_at <= ? ORDER BY started_at DESC, seq DESC LIMIT 1').get(at) as { seq: number; id: string } | undefined;
}

type Row = Record<string, string | number | Buffer | null>;

function toItem(db: Db, stored: Row, keys: KeyIds): StoredItem {
  const r = itemRow(db, stored);
  const data = storedData(db, r);
  const kind = r.kind as InventoryItem['kind'];
  return {
    id: r.id,
    key: keys.keyOf(r.id),
    kind,
    source: r.source,
    name: r.name,
    firstSeen: r.firstSeen,
    ...(r.goneAt !== undefined ? { goneAt: r.goneAt } : {}),
    data,
    title: titleOf({ kind, name: r.name, ...(data as { version?: string; endpoint?: string; component?: string }) }),
  };
}
