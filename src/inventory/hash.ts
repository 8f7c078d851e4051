import { createHash, hash as oneShotHash } from 'node:crypto';
import type { InventoryItem } from './item';

/**
 * JSON with object keys sorted, so equal values always give equal bytes.
 * Written in one pass, without a sorted copy of the value: it runs over every
 * item and record of a run. Keys that are array indices ("0", "12") come
 * first in numeric order, as JavaScript orders them in any object, then the
 * others sorted; hashes stored by earlier versions stay valid.
 */
export function canonicalJson(value: unknown): string {
  return write(value, undefined) as string;
}

/** Canonical JSON of an object without some of its own top-level keys, without copying it. */
export function canonicalJsonWithout(value: object, omit: ReadonlySet<string>): string {
  return write(value, omit) as string;
}

function write(value: unknown, omit: ReadonlySet<string> | undefined): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (write(value[i], undefined) ?? 'null');
        return out + ']';
      }
      const obj = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const k of sortedKeys(obj)) {
        if (omit?.has(k)) continue;
        const v = write(obj[k], undefined);
        if (v === undefined) continue;
        out += (first ? '"' : ',"') + (SAFE_KEY.test(k) ? k : JSON.stringify(k).slice(1, -1)) + '":' + v;
        first = false;
      }
      return out + '}';
    }
    case 'bigint':
      // As JSON.stringify does: a BigInt has no JSON form.
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return undefined;
  }
}

const SAFE_KEY = /^[A-Za-z0-9_.:/@ -]*$/;

/** Own keys in canonical order: array-index keys (already first, ascending) then the rest sorted. */
function sortedKeys(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj);
  let i = 0;
  while (i < keys.length && isArrayIndex(keys[i] as string)) i++;
  let sorted = true;
  for (let j = i + 1; j < keys.length && sorted; j++) sorted = (keys[j - 1] as string) < (keys[j] as string);
  if (sorted) return keys;
  const rest = keys.slice(i).sort();
  return i === 0 ? rest : keys.slice(0, i).concat(rest);
}

function isArrayIndex(k: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
}

/** SHA-256 of a text as hex. */
export function sha256(text: string): string {
  return digest(text).toString('hex');
}

/** SHA-256 of a text or bytes, in one call where this Node has one (20.12 on). */
export function digest(data: string | Buffer): Buffer {
  return typeof oneShotHash === 'function' ? oneShotHash('sha256', data, 'buffer') : createHash('sha256').update(data).digest();
}

const OBSERVED = new Set(['observedAt']);
const itemDigests = new WeakMap<InventoryItem, Buffer>();

/** Content hash of an item, ignoring when it was observed. */
export function itemHash(item: InventoryItem): string {
  return itemDigest(item).toString('hex');
}

/**
 * The item's content hash as bytes, taken once per item object: a run hashes
 * each item to decide whether to rewrite it and for a saved plan's
 * fingerprint. Items are not changed in place once read (enrichment makes new ones).
 */
export function itemDigest(item: InventoryItem): Buffer {
  let d = itemDigests.get(item);
  if (!d) itemDigests.set(item, (d = digest(canonicalJsonWithout(item, OBSERVED))));
  return d;
}
