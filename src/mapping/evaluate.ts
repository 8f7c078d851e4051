import type { DesiredRecord, DesiredRelation, FieldLookup } from '../engine/types';
import { canonicalJson, type InventoryItem } from '../inventory';
import type { FieldSpec, Mapping } from './schema';

type MappedKind = NonNullable<Mapping['kinds'][keyof Mapping['kinds']]>;

/**
 * Turn one item into the record a sink should hold. Pure: the same item and
 * mapping always give the same record. Returns undefined when the mapping
 * does not map this kind (the sink does not track it).
 */
export function evaluateMapping(mapping: Mapping, item: InventoryItem): DesiredRecord | undefined {
  const kind = mapping.kinds[item.kind];
  if (!kind) return undefined;
  const fields: Record<string, string> = {};
  for (const [field, spec] of Object.entries(kind.fields)) fields[field] = fieldValue(spec, item);
  const { authoritative, lookups } = partsOf(kind);
  return { key: item.key, kind: item.kind, source: item.source, class: kind.class, fields, sinkAuthoritative: authoritative, relations: mappedRelations(kind, item), lookups };
}

/**
 * Only the fields a sink looks up (an owner, a cost center), as the mapping
 * makes them, with the rest of the record left out: what resolving them
 * gives is part of what a record was mapped from (see `desiredFor`).
 */
export function lookupRecord(mapping: Mapping, item: InventoryItem): DesiredRecord | undefined {
  const kind = mapping.kinds[item.kind];
  if (!kind) return undefined;
  const fields: Record<string, string> = {};
  const { lookups } = partsOf(kind);
  for (const field in lookups) fields[field] = fieldValue(kind.fields[field] as FieldSpec, item);
  return { key: item.key, kind: item.kind, source: item.source, class: kind.class, fields, sinkAuthoritative: [], relations: [], lookups };
}

/** The fields a sink may curate, in the mapping's order: one list per kind, the same object every time. */
export function sinkAuthoritativeFields(mapping: Mapping, kind: InventoryItem['kind']): string[] {
  const k = mapping.kinds[kind];
  return k ? partsOf(k).authoritative : [];
}

/** The fields a sink looks up (field → what to look it up in): one object per kind, never to be changed. */
export function lookupFields(mapping: Mapping, kind: InventoryItem['kind']): Readonly<Record<string, FieldLookup>> {
  const k = mapping.kinds[kind];
  return k ? partsOf(k).lookups : {};
}

// What a kind's field specs say, read once per kind rather than once per record; records share them.
const parts = new WeakMap<MappedKind, { authoritative: string[]; lookups: Record<string, FieldLookup> }>();

function partsOf(kind: MappedKind): { authoritative: string[]; lookups: Record<string, FieldLookup> } {
  let p = parts.get(kind);
  if (!p) {
    p = { authoritative: [], lookups: {} };
    for (const [field, spec] of Object.entries(kind.fields)) {
      if (spec.authority === 'sink') p.authoritative.push(field);
      if (spec.lookup) p.lookups[field] = spec.lookup;
    }
    parts.set(kind, p);
  }
  return p;
}

/** The relations a kind's mapping draws from an item. */
export function mappedRelations(kind: MappedKind, item: InventoryItem): DesiredRelation[] {
  const relations: DesiredRelation[] = [];
  for (const rel of kind.relations) {
    const target = lookupPath(item, rel.to);
    // One key (`versionOf`) or several (`serves`: every version a deployment's variants serve).
    for (const key of Array.isArray(target) ? target : [target]) {
      if (typeof key === 'string' && key !== '' && !relations.some((r) => r.type === rel.type && r.targetKey === key)) relations.push({ type: rel.type, targetKey: key, role: rel.role });
    }
  }
  // A list grown by push keeps room for 17; a hundred thousand records keep theirs to the end of the run.
  return relations.slice();
}

/** A template placeholder, `{version}`: a path, spaces around it ignored. */
const PLACEHOLDER = /\{([^{}]+)\}/g;

/** The paths a template reads, in order. */
export function templatePaths(template: string): string[] {
  return Array.from(template.matchAll(PLACEHOLDER), (m) => (m[1] ?? '').trim());
}

export function fieldValue(spec: FieldSpec, item: InventoryItem): string {
  let text: string;
  if (spec.value !== undefined) text = spec.value;
  else if (spec.template !== undefined) text = spec.template.replace(PLACEHOLDER, (_, path: string) => render(lookupPath(item, path.trim()), 'auto'));
  else if (spec.each !== undefined) text = eachOf(lookupPath(item, spec.from ?? ''), spec.each);
  else text = render(lookupPath(item, spec.from ?? ''), spec.format);
  if (text === '' && spec.default !== undefined) text = spec.default;
  if (spec.maxLength !== undefined) text = truncate(text, spec.maxLength);
  return text;
}

/**
 * `tags.team` reads map entries whose keys may themselves contain dots
 * (`tags.mlflow.user`): at each level the whole remaining path is tried as a
 * key before it is split.
 */
export function lookupPath(item: unknown, path: string): unknown {
  let cur: unknown = item;
  let rest = path;
  while (rest !== '') {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    const obj = cur as Record<string, unknown>;
    if (rest in obj) return obj[rest];
    const dot = rest.indexOf('.');
    if (dot < 0) return undefined;
    cur = obj[rest.slice(0, dot)];
    rest = rest.slice(dot + 1);
  }
  return cur;
}

function render(value: unknown, format: FieldSpec['format']): string {
  if (value === undefined || value === null || isEmptyCollection(value)) return '';
  if (format === 'json') return canonicalJson(value);
  if (format === 'join' && Array.isArray(value)) return value.map((v) => render(v, 'auto')).join(', ');
  if (format === 'pairs' && typeof value === 'object' && !Array.isArray(value)) {
    return Object.keys(value)
      .sort()
      .map((k) => `${k}=${render((value as Record<string, unknown>)[k], 'auto')}`)
      .join(', ');
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return canonicalJson(value);
}

/** A list of objects, each through the template: `zombie: no invocations…; shadow: …`. */
function eachOf(list: unknown, template: string): string {
  if (!Array.isArray(list)) return '';
  return list.map((el) => template.replace(/\{([^{}]+)\}/g, (_, path: string) => render(lookupPath(el, path.trim()), 'auto'))).join('; ');
}

/** An empty list or map is "nothing" in a record field, whatever the format. */
function isEmptyCollection(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);
}

/** Cut on a code-point boundary and mark the cut, so a reader knows text is missing. */
function truncate(text: string, max: number): string {
  // No longer than max in UTF-16 units is no longer in code points either: most values, never split.
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}
