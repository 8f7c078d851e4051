import { canonicalJson } from '../inventory/hash';
import { pack, unpack } from './codec';
import { instantFromDb, instantToDb, recordIdFromDb, recordIdToDb } from './compact-values';
import type { JournalEntry, JournalResult } from './journal';
import type { KeyIds } from './keys';
import type { Names } from './names';

/** A journal entry as read back: its payload unpacked into `changes`. */
export type DecodedEntry = Omit<JournalEntry, 'packed' | 'labels'> & { id: number };

type Row = Record<string, string | number | Buffer | null>;

/** The columns of `journal_rows` an entry is stored as, in the insert's order (after `run`). */
export function entryColumns(e: JournalEntry, names: Names, keys: KeyIds): unknown[] {
  // A relation's payload is its type and holder: two numbers, not a packed object.
  const rel = e.otherKey !== undefined && e.packed === undefined && isRelation(e.changes) ? e.changes : undefined;
  // A create's labels are one of a few sets (owners, cost centres): each set is stored once, as a name.
  const labels = e.labels && Object.keys(e.labels).length > 0 ? names.id(canonicalJson(e.labels)) : null;
  return [
    names.id(e.sink),
    names.id(e.op),
    names.id(e.kind),
    keys.idOf(e.key),
    e.otherKey === undefined ? null : keys.idOf(e.otherKey),
    rel ? names.id(rel.type) : null,
    rel ? names.id(rel.holder) : null,
    e.recordId === undefined ? null : recordIdToDb(e.recordId),
    rel ? null : (e.packed ?? pack(e.changes)),
    labels,
    names.id(e.result),
    e.error ?? null,
    instantToDb(e.at),
  ];
}

export function decodeEntry(r: Row, names: Names, keys: KeyIds): DecodedEntry {
  const op = names.name(r.op as number);
  return {
    id: r.id as number,
    run: r.run as number,
    sink: names.name(r.sink as number),
    op,
    kind: names.name(r.kind as number),
    key: keys.keyOf(r.key_id as number),
    ...(r.other_key_id !== null ? { otherKey: keys.keyOf(r.other_key_id as number) } : {}),
    ...(r.record_id !== null ? { recordId: recordIdFromDb(r.record_id) } : {}),
    changes: r.rel_type !== null ? { type: names.name(r.rel_type as number), holder: names.name(r.holder as number) } : journalChanges(op, r.changes, r.labels === null ? {} : (JSON.parse(names.name(r.labels as number)) as Record<string, string>)),
    result: names.name(r.result as number) as JournalResult,
    ...(r.error !== null ? { error: r.error as string } : {}),
    at: instantFromDb(r.at),
  };
}

/**
 * A journal row's changes as every reader sees them: field → {from, to}. A
 * create stored as the values it wrote (and the labels of its references)
 * is read back in that shape; older rows hold it already.
 */
function journalChanges(op: string, changes: unknown, labels: Record<string, string>): unknown {
  if (changes === null || changes === undefined) return null;
  const values = unpack(changes as Buffer);
  if (op !== 'create' || !isValues(values)) return values;
  const out: Record<string, { from: null; to: string; toLabel?: string }> = {};
  for (const [field, to] of Object.entries(values)) out[field] = labels[field] === undefined ? { from: null, to } : { from: null, to, toLabel: labels[field] };
  return out;
}

function isValues(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

/** A relation's payload: its type and which end the entry's key is. */
export function isRelation(c: unknown): c is { type: string; holder: string } {
  if (typeof c !== 'object' || c === null) return false;
  const o = c as Record<string, unknown>;
  return typeof o.type === 'string' && typeof o.holder === 'string' && Object.keys(o).length === 2;
}
