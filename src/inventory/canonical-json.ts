import { jsonString } from './json-string';
import { keyOrder } from './key-order';

/**
 * JSON with object keys sorted, so equal values always give equal bytes.
 * Written in one pass, without a sorted copy of the value: it runs over every
 * item and record of a run. Keys that are array indices ("0", "12") come
 * first in numeric order, as JavaScript orders them in any object, then the
 * others sorted by UTF-16 code units; hashes stored by earlier versions stay
 * valid. As JSON.stringify: `undefined`, functions and symbols are left out
 * of objects (null in arrays), non-finite numbers are null, a BigInt throws.
 * Unlike it, `toJSON` is not called: an object is its own enumerable keys.
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
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>, omit);
    case 'bigint':
      // As JSON.stringify does: a BigInt has no JSON form.
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return undefined;
  }
}

function writeArray(arr: readonly unknown[]): string {
  if (arr.length === 0) return '[]';
  let out = '[' + (write(arr[0], undefined) ?? 'null');
  for (let i = 1; i < arr.length; i++) out += ',' + (write(arr[i], undefined) ?? 'null');
  return out + ']';
}

function writeObject(obj: Record<string, unknown>, omit: ReadonlySet<string> | undefined): string {
  const { keys, written } = keyOrder(Object.keys(obj));
  let out = '';
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j] as string;
    if (omit !== undefined && omit.has(k)) continue;
    const v = write(obj[k], undefined);
    if (v === undefined) continue;
    if (written === undefined) out += (out === '' ? '{' : ',') + jsonString(k) + ':' + v;
    else out += (out === '' ? written.first[j] : written.next[j]) + v;
  }
  return out === '' ? '{}' : out + '}';
}
