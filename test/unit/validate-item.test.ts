import { z } from 'zod';
import { MalformedResponseError } from '../../src/errors';
import { exactCheck, inventoryItemSchema, validateItem, type InventoryItem } from '../../src/inventory';
import { deployment, usage } from '../support/deployments';
import { modelItem, versionItem } from '../support/items';

/*
 * exactCheck lets an item through without zod's copy. It must never accept
 * what zod refuses or would return changed: checked here against zod itself
 * over every field of an item of each kind, each replaced by values of the
 * wrong type or shape, out-of-range dates, unknown keys and the like.
 */

const model = modelItem('mlflow://ns/models/fraud', 'mlflow', 'fraud', { aliases: { champion: '3' }, latestVersions: { Production: '3' }, owner: 'alice', createdAt: '2026-01-01T00:00:00.000Z' });
const version = versionItem(model, '3', {
  tags: { team: 'risk' },
  links: { ui: 'https://mlflow/#/models/fraud/versions/3' },
  stage: 'Production',
  aliases: ['champion'],
  metrics: { auc: 0.9 },
  params: { lr: '0.01' },
  datasets: [{ name: 'train', digest: 'abc', context: 'train' }],
  updatedAt: '2026-02-01T00:00:00.000+02:00',
});
const endpoint = { ...deployment('fraud'), usage: usage([0, 3, 1]), cost: { monthly: 12, currency: 'USD', estimated: true, basis: 'price table' }, findings: [{ type: 'zombie', severity: 'high' as const, detail: 'idle' }] };
const ITEMS: InventoryItem[] = [model, version, endpoint];

const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  '',
  'x',
  0,
  -1,
  1.5,
  NaN,
  Infinity,
  true,
  [],
  [undefined],
  {},
  JSON.parse('{"__proto__":"x"}'),
  '+275760-09-13T00:00:00.000Z',
  '2026-02-30T00:00:00Z',
  'production',
];

type Path = Array<string | number>;

function pathsOf(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [at];
  const keys: Array<string | number> = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [at, ...keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...at, k]))];
}

function withValue(item: InventoryItem, path: Path, value: unknown): unknown {
  // Cloned through JSON: structuredClone would make objects of another realm, which the check refuses outright.
  const copy = JSON.parse(JSON.stringify(item)) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1] as string | number] = value;
  return copy;
}

/** Every item one change away from `item`: each field replaced, each object given an unknown key. */
function mutants(item: InventoryItem): unknown[] {
  const out: unknown[] = [];
  for (const path of pathsOf(item)) {
    for (const r of REPLACEMENTS) out.push(withValue(item, path, r));
    const here = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], item);
    if (here && typeof here === 'object' && !Array.isArray(here)) out.push(withValue(item, path, { ...here, unknownKey: 'x' }));
  }
  return out;
}

describe('exactCheck', () => {
  const check = exactCheck(inventoryItemSchema);

  it('judges every item kind, and lets a well-formed item of each through', () => {
    expect(check).toBeDefined();
    for (const item of ITEMS) expect(check?.(item)).toBe(true);
  });

  it('accepts only what zod accepts and would return unchanged', () => {
    let refused = 0;
    let accepted = 0;
    for (const item of ITEMS) {
      for (const m of mutants(item)) {
        if (!check?.(m)) {
          refused++;
          continue;
        }
        accepted++;
        const parsed = inventoryItemSchema.safeParse(m);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(m);
      }
    }
    // Neither side is empty: harmless changes (another string, another number) pass, the rest are refused.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(500);
  });

  it('cannot judge a schema that rewrites values, which is then always parsed', () => {
    expect(exactCheck(z.object({ a: z.string().default('x') }))).toBeUndefined();
    expect(exactCheck(z.object({ a: z.string().trim() }))).toBeUndefined();
    expect(exactCheck(z.object({ a: z.coerce.number() }))).toBeUndefined();
    expect(exactCheck(z.object({ a: z.string().min(2) }))?.({ a: 'ab' })).toBe(true);
  });
});

describe('validateItem', () => {
  it('returns a conforming item as it is, and a copy without unknown keys otherwise', () => {
    expect(validateItem('mlflow', version)).toBe(version);
    const extra = { ...version, surplus: 1, tags: JSON.parse('{"__proto__":"x","team":"risk"}') as Record<string, string> };
    const out = validateItem('mlflow', extra);
    expect(out).not.toHaveProperty('surplus');
    expect(out).toEqual(version);
  });

  it('names the source, the item and the field of an item zod refuses', () => {
    const bad = { ...version, createdAt: new Date(8.64e15).toISOString() };
    let error: unknown;
    try {
      validateItem('mlflow-prod', bad);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).props).toEqual({ connector: 'mlflow-prod', item: version.key, field: 'createdAt' });
    expect((error as Error).message).toContain(`source mlflow-prod: item ${version.key}: field createdAt:`);
  });
});
