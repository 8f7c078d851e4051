import { createHash } from 'node:crypto';
import { canonicalJson, canonicalJsonWithout, digest, itemDigest, sha256 } from '../../src/inventory';
import type { InventoryItem } from '../../src/inventory';

/**
 * The reference: the documented contract written the plain way, with no fast
 * path and no remembered key order. Array-index keys (by the language's own
 * definition) first in numeric order, then the others sorted by UTF-16 code
 * units; members JSON would leave out are left out; an object is its own
 * enumerable keys (toJSON is not called, a Date is "{}").
 */
function referenceCanonicalJson(v: unknown): string | undefined {
  if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + Array.from({ length: v.length }, (_, i) => referenceCanonicalJson(v[i]) ?? 'null').join(',') + ']';
  const keys = Object.keys(v);
  const indices = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  const others = keys.filter((k) => !isArrayIndex(k)).sort();
  const members: string[] = [];
  for (const k of [...indices, ...others]) {
    const text = referenceCanonicalJson((v as Record<string, unknown>)[k]);
    if (text !== undefined) members.push(JSON.stringify(k) + ':' + text);
  }
  return '{' + members.join(',') + '}';
}

function isArrayIndex(k: string): boolean {
  const n = Number(k) >>> 0;
  return String(n) === k && n !== 2 ** 32 - 1;
}

/** A small seeded generator, so a failure names a seed that reproduces it. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['b', 'a', '10', '2', '01', '0', '4294967295', '4294967294', '-1', '1.5', ' 1', 'z"q', 'back\\slash', 'ä', 'é', 'Z', '😀', '\ud800', 'tab\t', 'key.with.dots', 'A', '_', 'a b', 'observedAt', 'toJSON', '__proto__', ''];
const STRINGS = ['', 'plain', 'quote " inside', 'back \\ slash', 'ünïcödé ✓', 'emoji 😀 pair', 'lone \ud800 high', 'lone \udc00 low', 'tab\tnew\nline\r', '\u0001\u001f ctl', '\u007f del', 'line \u2028 sep', 's3://bucket/key?x=1&y=2', '</script>'];
const ALPHABET = 'ab09 "\\\n\u0000\u001fé✓\ud83d\ude00\ud800/:';

class WithToJson {
  field = 'kept';
  toJSON(): string {
    return 'called';
  }
}

function leaf(r: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const x = r();
  if (x < 0.25) return pick(STRINGS);
  if (x < 0.35) return Array.from({ length: Math.floor(r() * 8) }, () => pick([...ALPHABET])).join('');
  if (x < 0.5) return pick([0, -0, 1, -1.5, 0.1 + 0.2, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity, 123456789, Math.round(r() * 1e6) / 100]);
  if (x < 0.58) return r() < 0.5;
  if (x < 0.66) return null;
  if (x < 0.74) return undefined;
  if (x < 0.77) return () => 1;
  if (x < 0.8) return Symbol('s');
  if (x < 0.83) return new Date(Math.floor(r() * 2e12));
  if (x < 0.86) return pick([new Number(3), new String('ab'), new Boolean(false)]);
  if (x < 0.89) return new WithToJson();
  if (x < 0.92) return { toJSON: () => 'own', v: 1 };
  if (x < 0.95) return Object.assign(Object.create(null) as object, { z: 1, y: [2] });
  return JSON.parse('{"__proto__":{"b":1,"a":2},"x":0}') as unknown;
}

/** Fixed key lists, in a fixed insertion order each: enough of them to fill and turn over the remembered shapes. */
const SHAPES: string[][] = [
  KEYS,
  [...KEYS].reverse(),
  ...Array.from({ length: 22 }, (_, i) => {
    const r = prng(1000 + i);
    return Array.from({ length: 1 + Math.floor(r() * 8) }, () => KEYS[Math.floor(r() * KEYS.length)] as string);
  }),
];

function value(r: () => number, depth: number): unknown {
  const x = r();
  if (depth > 3 || x < 0.3) return leaf(r);
  if (x < 0.5) {
    const arr: unknown[] = new Array(Math.floor(r() * 5));
    for (let i = 0; i < arr.length; i++) if (r() < 0.85) arr[i] = value(r, depth + 1);
    return arr;
  }
  const keys = x < 0.8 ? (SHAPES[Math.floor(r() * SHAPES.length)] as string[]) : Array.from({ length: Math.floor(r() * 7) }, () => KEYS[Math.floor(r() * KEYS.length)] as string);
  const out: Record<string, unknown> = {};
  // defineProperty: plain assignment of "__proto__" would set the prototype instead of making a key.
  for (const k of keys) Object.defineProperty(out, k, { value: value(r, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

describe('canonical JSON against its reference', () => {
  it('writes every generated value byte for byte as the reference does', () => {
    for (let seed = 1; seed <= 4000; seed++) {
      const v = value(prng(seed), 0);
      const expected = referenceCanonicalJson(v);
      if (canonicalJson(v) !== expected) throw new Error(`seed ${seed}: ${canonicalJson(v)} !== ${expected}`);
    }
  });

  it('writes shaped values (an item kind, a dataset) met many times exactly as the first time', () => {
    const r = prng(7);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 200; i++) {
        const shape = SHAPES[i % SHAPES.length] as string[];
        const v: Record<string, unknown> = {};
        for (const k of shape) Object.defineProperty(v, k, { value: leaf(r), enumerable: true, writable: true, configurable: true });
        expect(canonicalJson(v)).toBe(referenceCanonicalJson(v));
      }
      // Same keys inserted in another order: another shape, the same text.
      expect(canonicalJson({ model: 'm', version: '1', kind: 'model_version', key: 'k' })).toBe('{"key":"k","kind":"model_version","model":"m","version":"1"}');
      expect(canonicalJson({ key: 'k', kind: 'model_version', version: '1', model: 'm' })).toBe('{"key":"k","kind":"model_version","model":"m","version":"1"}');
    }
  });

  it('leaves out only the named top-level keys', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const v = value(prng(seed), 1);
      if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
      const omit = new Set(['observedAt', 'a', '10']);
      const kept: Record<string, unknown> = {};
      for (const k of Object.keys(v)) if (!omit.has(k)) Object.defineProperty(kept, k, { value: (v as Record<string, unknown>)[k], enumerable: true, writable: true, configurable: true });
      expect(canonicalJsonWithout(v, omit)).toBe(referenceCanonicalJson(kept));
    }
    expect(canonicalJsonWithout({ observedAt: 't', nested: { observedAt: 'kept' } }, new Set(['observedAt']))).toBe('{"nested":{"observedAt":"kept"}}');
  });

  it('throws on a BigInt anywhere, as JSON.stringify does, and writes the next value whole', () => {
    expect(() => canonicalJson({ a: [1, { b: 2n }] })).toThrow(new TypeError('Do not know how to serialize a BigInt'));
    expect(() => JSON.stringify({ a: [1, { b: 2n }] })).toThrow(TypeError);
    expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":3,"d":2}]}');
  });

  it('writes what JSON leaves out as JSON does: nothing at the top, null in arrays', () => {
    expect(canonicalJson(undefined)).toBeUndefined();
    expect(canonicalJson(() => 1)).toBeUndefined();
    expect(canonicalJson([undefined, () => 1, Symbol('s'), , -0, NaN])).toBe('[null,null,null,null,0,null]'); // eslint-disable-line no-sparse-arrays
    expect(canonicalJson({ d: new Date(0), n: new Number(1), own: { toJSON: () => 'x', v: 1 } })).toBe('{"d":{},"n":{},"own":{"v":1}}');
  });
});

describe('digests', () => {
  it('are the SHA-256 of the text or bytes', () => {
    for (const text of ['', 'ascii', 'ünïcödé ✓ 😀', 'x'.repeat(5000)]) {
      const expected = createHash('sha256').update(text).digest();
      expect(digest(text).equals(expected)).toBe(true);
      expect(digest(Buffer.from(text)).equals(expected)).toBe(true);
      expect(sha256(text)).toBe(expected.toString('hex'));
    }
  });

  it('of an item is the SHA-256 of its canonical JSON without when it was observed', () => {
    const item = { key: 'k', source: 's', name: 'n', observedAt: '2026-01-01T00:00:00Z', tags: { b: '1', a: '2' }, links: {}, kind: 'model', aliases: {}, latestVersions: { '2': 'x', '10': 'y' } } as unknown as InventoryItem;
    const text = '{"aliases":{},"key":"k","kind":"model","latestVersions":{"2":"x","10":"y"},"links":{},"name":"n","source":"s","tags":{"a":"2","b":"1"}}';
    expect(itemDigest(item).equals(createHash('sha256').update(text).digest())).toBe(true);
  });
});
