import type { z } from 'zod';
import { inventoryItemSchema, type ItemKind } from './item';

/**
 * Which paths a mapping may read from an item, derived from the zod schemas
 * themselves so that a field added to a schema (enrichment: `usage.invocations`,
 * `cost.monthly`) is a valid path without touching this file.
 *
 * Paths follow `lookupPath` in src/mapping/evaluate.ts: objects are walked by
 * their field names, a map (`z.record`) accepts any key below it, dots
 * included (`tags.mlflow.user`), and a list is read whole, never indexed.
 */

/** What a path holds, as far as a mapping cares: a relation needs a key or a list of keys. */
export type PathValue = 'string' | 'strings' | 'other';

/** One path of an item kind; `anyKeyBelow` marks a map, whose every key is a path too. */
export interface ItemPath {
  path: string;
  value: PathValue;
  anyKeyBelow: boolean;
}

type Shape =
  | { t: 'object'; fields: ReadonlyMap<string, Shape> }
  | { t: 'record'; value: Shape }
  | { t: 'array'; element: Shape }
  | { t: 'string' }
  | { t: 'other' };

const shapes = new Map<ItemKind, Shape>();

/** What `path` holds in an item of `kind`, or undefined when no item of that kind can have it. */
export function itemPathValue(kind: ItemKind, path: string): PathValue | undefined {
  // The empty path would read the whole item: never a field, always a slip (`{ }` in a template).
  const shape = path === '' ? undefined : resolve(kindShape(kind), path);
  return shape && valueOf(shape);
}

/** The field names of the objects a list at `path` holds (`findings` → type, severity, detail…), or undefined when it holds none. */
export function elementFields(kind: ItemKind, path: string): string[] | undefined {
  const shape = path === '' ? undefined : resolve(kindShape(kind), path);
  return shape?.t === 'array' && shape.element.t === 'object' ? [...shape.element.fields.keys()] : undefined;
}

/** Every path of `kind`, parents before children, in schema order. */
export function itemPaths(kind: ItemKind): ItemPath[] {
  const out: ItemPath[] = [];
  const walk = (shape: Shape, prefix: string) => {
    if (shape.t !== 'object') return;
    for (const [name, child] of shape.fields) {
      const path = prefix === '' ? name : `${prefix}.${name}`;
      out.push({ path, value: valueOf(child), anyKeyBelow: child.t === 'record' });
      walk(child, path);
    }
  };
  walk(kindShape(kind), '');
  return out;
}

/**
 * The valid path of `kind` nearest to a mistyped `path` (edit distance, a
 * swap of two letters counting once), if one is near enough to be what was
 * meant. `accepts` narrows the candidates, e.g. to fields that hold keys.
 */
export function closestItemPath(kind: ItemKind, path: string, accepts: (value: PathValue) => boolean = () => true): string | undefined {
  const segments = path.split('.');
  const candidates: string[] = [];
  for (const p of itemPaths(kind)) {
    if (accepts(p.value)) candidates.push(p.path);
    // `tag.team` is nearest to `tags.team`, not to `tags`: keep the typed key below a map.
    const depth = p.path.split('.').length;
    const below = `${p.path}.${segments.slice(depth).join('.')}`;
    if (p.anyKeyBelow && segments.length > depth && accepts(itemPathValue(kind, below) ?? 'other')) candidates.push(below);
  }
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(path.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(path, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function kindShape(kind: ItemKind): Shape {
  let shape = shapes.get(kind);
  if (!shape) {
    const schema = inventoryItemSchema.options.find((o) => o.shape.kind.value === kind);
    shape = schema ? shapeOf(schema) : { t: 'other' };
    shapes.set(kind, shape);
  }
  return shape;
}

function resolve(root: Shape, path: string): Shape | undefined {
  let cur = root;
  let rest = path;
  while (rest !== '') {
    if (cur.t === 'record') return cur.value;
    if (cur.t !== 'object') return undefined;
    const whole = cur.fields.get(rest);
    if (whole) return whole;
    const dot = rest.indexOf('.');
    const next = dot < 0 ? undefined : cur.fields.get(rest.slice(0, dot));
    if (!next) return undefined;
    cur = next;
    rest = rest.slice(dot + 1);
  }
  return cur;
}

function valueOf(shape: Shape): PathValue {
  if (shape.t === 'string') return 'string';
  if (shape.t === 'array' && shape.element.t === 'string') return 'strings';
  return 'other';
}

/** The shape of a parsed value: wrappers (optional, default…) unwrapped, unions merged. */
function shapeOf(schema: z.core.$ZodType): Shape {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const inner = (key: string) => shapeOf(def[key] as z.core.$ZodType);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return inner('innerType');
    case 'pipe':
      return inner('out');
    case 'lazy':
      return shapeOf((def.getter as () => z.core.$ZodType)());
    case 'object':
      return { t: 'object', fields: new Map(Object.entries(def.shape as Record<string, z.core.$ZodType>).map(([k, v]) => [k, shapeOf(v)])) };
    case 'record':
      return { t: 'record', value: inner('valueType') };
    case 'array':
      return { t: 'array', element: inner('element') };
    case 'string':
    case 'template_literal':
      return { t: 'string' };
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>).every((v) => typeof v === 'string') ? { t: 'string' } : { t: 'other' };
    case 'literal':
      return (def.values as unknown[]).every((v) => typeof v === 'string') ? { t: 'string' } : { t: 'other' };
    case 'union':
      return merge((def.options as z.core.$ZodType[]).map(shapeOf));
    default:
      return { t: 'other' };
  }
}

/** A union holds what any of its options holds: objects pool their fields, all-text stays text. */
function merge(options: Shape[]): Shape {
  if (options.every((s) => s.t === 'string')) return { t: 'string' };
  if (!options.every((s) => s.t === 'object')) return { t: 'other' };
  const pooled = new Map<string, Shape[]>();
  for (const o of options as Array<Extract<Shape, { t: 'object' }>>) {
    for (const [k, v] of o.fields) pooled.set(k, [...(pooled.get(k) ?? []), v]);
  }
  return { t: 'object', fields: new Map([...pooled].map(([k, v]) => [k, v.length === 1 ? (v[0] as Shape) : merge(v)])) };
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
function editDistance(a: string, b: string): number {
  const w = b.length + 1;
  const d = new Array<number>((a.length + 1) * w).fill(0);
  const at = (i: number, j: number) => d[i * w + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * w] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * w + j] = best;
    }
  }
  return at(a.length, b.length);
}
