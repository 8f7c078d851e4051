import { canonicalJson, itemHash, sha256 } from '../../src/inventory';
import type { InventoryItem } from '../../src/inventory';

/** The definition the one-pass writer must match: a sorted deep copy, then JSON.stringify (what state hashes were made with). */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = sortKeys(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

/** A deterministic pseudo-random JSON-ish value with the awkward parts: index-like keys, escapes, holes, undefined. */
function randomValue(seed: number, depth = 0): unknown {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const leaf = (): unknown => {
    const r = next();
    if (r < 0.15) return null;
    if (r < 0.3) return undefined;
    if (r < 0.45) return Math.round(next() * 1e6) / 100 - 5000;
    if (r < 0.5) return [Infinity, NaN, -0, 1e21, 5e-7][Math.floor(next() * 5)];
    if (r < 0.6) return next() < 0.5;
    return ['', 'plain', 'quote " and \\ slash', 'ünïcödé ✓', 'tab\tnew\nline', '\u0001ctl', 'https://x/y?z=1'][Math.floor(next() * 7)];
  };
  if (depth > 3) return leaf();
  const r = next();
  if (r < 0.3) return Array.from({ length: Math.floor(next() * 5) }, (_, i) => randomValue(seed * 31 + i, depth + 1));
  if (r < 0.7) {
    const keys = ['b', 'a', '10', '2', 'z"q', 'ä', 'key.with.dots', '0', '4294967295', 'A', '_', 'a b'];
    const out: Record<string, unknown> = {};
    for (let i = 0; i < 6; i++) out[keys[Math.floor(next() * keys.length)] as string] = randomValue(seed * 17 + i, depth + 1);
    return out;
  }
  return leaf();
}

describe('canonical JSON', () => {
  it('writes exactly what a sorted copy through JSON.stringify gives, over varied values', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const v = randomValue(seed);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('gives equal text for equal values in any key order', () => {
    expect(canonicalJson({ b: { y: 1, x: [2, { d: 1, c: 2 }] }, a: 'x' })).toBe(canonicalJson({ a: 'x', b: { x: [2, { c: 2, d: 1 }], y: 1 } }));
  });

  it('hashes an item without when it was observed, as the sorted copy did', () => {
    const item = { kind: 'model', key: 'mlflow://h/models/m', source: 'mlflow', name: 'm', observedAt: '2026-01-01T00:00:00Z', tags: { '1': 'a', b: 'c' }, aliases: {} } as unknown as InventoryItem;
    const { observedAt: _o, ...content } = item;
    expect(itemHash(item)).toBe(sha256(reference(content)));
    expect(itemHash({ ...item, observedAt: '2027-01-01T00:00:00Z' })).toBe(itemHash(item));
  });
});
