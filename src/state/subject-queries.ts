import { titleOf, type InventoryItem } from '../inventory';
import type { Db } from './db';
import { storedData } from './items';
import { journalChanges } from './journal';
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
  const rows = (kind === undefined ? prepared(db, 'SELECT * FROM items WHERE name = ?').all(name) : prepared(db, 'SELECT * FROM items WHERE name = ? AND kind = ?').all(name, kind)) as Row[];
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

export interface JournalRow {
  id: number;
  run: number;
  runId: string;
  sink: string;
  op: string;
  kind: string;
  key: string;
  otherKey?: string;
  recordId?: string;
  changes: unknown;
  result: string;
  error?: string;
  at: string;
}

/** Every write to these keys, or to a relation touching one, once each, in the order they landed. */
export function journalOf(db: Db, keys: KeyIds, ids: readonly number[]): JournalRow[] {
  const own = prepared(db, 'SELECT j.*, r.id AS run_id FROM journal j JOIN runs r ON r.seq = j.run WHERE j.key_id = ?');
  const other = prepared(db, 'SELECT j.*, r.id AS run_id FROM journal j JOIN runs r ON r.seq = j.run WHERE j.other_key_id = ?');
  const rows = new Map<number, Record<string, string | number | Buffer | null>>();
  for (const id of ids) for (const stmt of [own, other]) for (const r of stmt.all(id) as Array<Record<string, string | number | Buffer | null>>) rows.set(r.id as number, r);
  return [...rows.values()]
    .sort((a, b) => (a.id as number) - (b.id as number))
    .map((r) => ({
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
      result: r.result as string,
      ...(r.error !== null ? { error: r.error as string } : {}),
      at: r.at as string,
    }));
}

/** The run that recorded something at `at`: the last one started by then (runs never overlap: they hold the lease). */
export function runAt(db: Db, at: string): { seq: number; id: string } | undefined {
  return prepared(db, 'SELECT seq, id FROM runs WHERE started_at <= ? ORDER BY started_at DESC, seq DESC LIMIT 1').get(at) as { seq: number; id: string } | undefined;
}

type Row = Record<string, string | number | Buffer | null>;

function toItem(db: Db, r: Row, keys: KeyIds): StoredItem {
  const data = storedData(db, r as { id: number; kind: string; data: Buffer });
  const kind = r.kind as InventoryItem['kind'];
  const name = r.name as string;
  return {
    id: r.id as number,
    key: keys.keyOf(r.id as number),
    kind,
    source: r.source as string,
    name,
    firstSeen: r.first_seen as string,
    ...(r.gone_at !== null ? { goneAt: r.gone_at as string } : {}),
    data,
    title: titleOf({ kind, name, ...(data as { version?: string; endpoint?: string; component?: string }) }),
  };
}
