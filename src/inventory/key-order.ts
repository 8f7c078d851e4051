import { jsonString } from './json-string';

/** An object's own keys in canonical order and, for a remembered shape, each key already written as `{"key":` (first) and `,"key":`. */
export interface KeyOrder {
  keys: readonly string[];
  written: { first: readonly string[]; next: readonly string[] } | undefined;
}

interface Remembered {
  keys: readonly string[];
  order: KeyOrder;
  uses: number;
}

/*
 * Most objects a run writes share a few shapes: every item of a kind has its
 * fields in the order the source's schema builds them, every dataset too.
 * Sorting those keys and quoting them again for each of 100,000 items was
 * most of the writer's time, so the order of a shape met twice is kept.
 * Key lists that rarely repeat (tags, params) are only ever held as recent
 * misses, so they cannot push the common shapes out; the least used shape
 * gives way when a new one is admitted, and uses decay so a past phase of
 * the run does not hold its slots forever.
 */
const SHAPES = 16;
const RECENT = 8;
const remembered: Remembered[] = [];
const recent: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(RECENT);
let recentAt = 0;

/** Own keys (as Object.keys lists them) in canonical order: array-index keys first, ascending, then the rest by UTF-16 code units. */
export function keyOrder(keys: string[]): KeyOrder {
  for (const r of remembered) {
    if (sameKeys(r.keys, keys)) {
      r.uses++;
      return r.order;
    }
  }
  const sorted = canonicalOrder(keys);
  if (!seenRecently(keys)) return { keys: sorted, written: undefined };
  const names = sorted.map((k) => jsonString(k) + ':');
  const order = { keys: sorted, written: { first: names.map((n) => '{' + n), next: names.map((n) => ',' + n) } };
  remember({ keys, order, uses: 1 });
  return order;
}

// Object.keys already lists array indices first and ascending: only the keys after them may need sorting.
function canonicalOrder(keys: string[]): string[] {
  let i = 0;
  while (i < keys.length && isArrayIndex(keys[i] as string)) i++;
  for (let j = i + 1; j < keys.length; j++) {
    if (!((keys[j - 1] as string) < (keys[j] as string))) {
      const rest = keys.slice(i).sort();
      return i === 0 ? rest : keys.slice(0, i).concat(rest);
    }
  }
  return keys;
}

function isArrayIndex(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
}

// Property keys are internalized: equal keys are the same string, so these comparisons are by reference.
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function seenRecently(keys: readonly string[]): boolean {
  for (let i = 0; i < RECENT; i++) {
    const r = recent[i];
    if (r !== undefined && sameKeys(r, keys)) {
      recent[i] = undefined;
      return true;
    }
  }
  recent[recentAt] = keys;
  recentAt = (recentAt + 1) % RECENT;
  return false;
}

function remember(shape: Remembered): void {
  if (remembered.length < SHAPES) {
    remembered.push(shape);
    return;
  }
  let least = 0;
  for (let i = 1; i < SHAPES; i++) if ((remembered[i] as Remembered).uses < (remembered[least] as Remembered).uses) least = i;
  for (const r of remembered) r.uses >>>= 1;
  remembered[least] = shape;
}
