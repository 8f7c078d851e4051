import type { z } from 'zod';
import { MalformedResponseError } from '../errors';
import { inventoryItemSchema, type InventoryItem } from './item';

/**
 * Validate an item a source built from an API response. The error names the
 * source, the item and the offending field so an operator can find the record.
 * An item that already is exactly what the schema would return (no unknown
 * keys, nothing to default or strip) is returned as it is, not copied; any
 * other goes through zod, which copies it or says what is wrong.
 */
export function validateItem(source: string, raw: unknown): InventoryItem {
  if (conformsToItem?.(raw)) return raw as InventoryItem;
  const parsed = inventoryItemSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? issue.path.join('.') || '(item)' : '(item)';
  const item = describeRaw(raw);
  throw new MalformedResponseError(
    `source ${source}: item ${item}: field ${field}: ${issue?.message ?? 'invalid'}`,
    { connector: source, item, field },
  );
}

/**
 * A check that accepts a value only when zod would accept it and return an
 * equal value: it never copies, so it costs a fraction of a parse (the
 * canonical inventory is validated once per item of every read). It may be
 * stricter than zod, never looser: a value it refuses is parsed by zod, which
 * decides. Undefined for a schema with a part it cannot judge that way (a
 * default, a transform, a coercion…): such a schema is always parsed.
 *
 * It reads a value as plain data: the enumerable string keys of objects whose
 * prototype is Object's (or null), all that JSON, object literals and
 * Object.fromEntries make. Symbol and non-enumerable keys, which zod would
 * also read, are not looked at: no source builds an item with them.
 */
export function exactCheck(schema: z.core.$ZodType): ((value: unknown) => boolean) | undefined {
  const type = typeCheck(schema);
  const checks = ownChecks(schema);
  if (!type || !checks) return undefined;
  return checks.length === 0 ? type : (v) => type(v) && checks.every((c) => c(v));
}

const conformsToItem = exactCheck(inventoryItemSchema);

type Check = (value: unknown) => boolean;

// zod's definitions, read as far as the check needs them.
interface Def {
  type: string;
  coerce?: boolean;
  checks?: z.core.$ZodType[];
  innerType?: z.core.$ZodType;
  element?: z.core.$ZodType;
  keyType?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  options?: z.core.$ZodType[];
  discriminator?: string;
  check?: string;
}

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def as unknown as Def;
}

function typeCheck(schema: z.core.$ZodType): Check | undefined {
  const def = defOf(schema);
  if (def.coerce) return undefined;
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'literal':
    case 'enum': {
      const values = schema._zod.values;
      return values && ((v) => values.has(v as never));
    }
    case 'optional': {
      const inner = def.innerType && exactCheck(def.innerType);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'array': {
      const element = def.element && exactCheck(def.element);
      return element && ((v) => Array.isArray(v) && everyIndex(v, element));
    }
    case 'record':
      return recordCheck(def);
    case 'object':
      return def.shape && objectCheck(def.shape);
    case 'union':
      return def.discriminator === undefined ? undefined : discriminatedCheck(def.discriminator, def.options ?? []);
    default:
      return undefined;
  }
}

/** The refinements on a schema (lengths, formats, ranges), each run as zod runs it; undefined when one would rewrite the value. */
function ownChecks(schema: z.core.$ZodType): Check[] | undefined {
  const list = [...(defOf(schema).checks ?? [])];
  // A string format (an ISO date-time) is a schema that is its own check.
  if (schema._zod.traits.has('$ZodCheck')) list.unshift(schema);
  const out: Check[] = [];
  for (const c of list) {
    const run = (c._zod as unknown as { check?: (payload: { value: unknown; issues: unknown[] }) => void }).check;
    if (!run || defOf(c).check === 'overwrite') return undefined;
    out.push((value) => {
      const payload = { value, issues: [] as unknown[] };
      run(payload);
      return payload.issues.length === 0 && payload.value === value;
    });
  }
  return out;
}

// By index, as zod reads an array: a hole is an undefined element, where `every` would skip it.
function everyIndex(list: unknown[], check: Check): boolean {
  for (let i = 0; i < list.length; i++) if (!check(list[i])) return false;
  return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function objectCheck(shape: Record<string, z.core.$ZodType>): Check | undefined {
  const fields = new Map<string, { check: Check; required: boolean }>();
  let required = 0;
  for (const [key, schema] of Object.entries(shape)) {
    const check = exactCheck(schema);
    if (!check) return undefined;
    const optional = schema._zod.optin === 'optional';
    fields.set(key, { check, required: !optional });
    if (!optional) required++;
  }
  // Key by key of the value (for…in over an object is cheap; a lookup per field of the schema is not).
  return (v) => {
    if (!isPlainObject(v)) return false;
    let seen = 0;
    for (const key in v) {
      const field = fields.get(key);
      // zod strips unknown keys (an item with any is left to zod); an own undefined would come out as it went in, but nothing downstream expects one.
      const value = v[key];
      if (!field || value === undefined || !field.check(value)) return false;
      if (field.required) seen++;
    }
    return seen === required;
  };
}

function recordCheck(def: Def): Check | undefined {
  const key = def.keyType;
  const value = def.valueType && exactCheck(def.valueType);
  if (!key || !value || defOf(key).type !== 'string' || defOf(key).coerce || (defOf(key).checks ?? []).length > 0) return undefined;
  return (v) => {
    if (!isPlainObject(v)) return false;
    for (const k in v) {
      // zod's copy drops a "__proto__" key (assigning it sets no property).
      if (k === '__proto__' || !value(v[k])) return false;
    }
    return true;
  };
}

function discriminatedCheck(discriminator: string, options: readonly z.core.$ZodType[]): Check | undefined {
  const byTag = new Map<unknown, Check>();
  for (const option of options) {
    const tag = defOf(option).shape?.[discriminator]?._zod.values;
    const check = exactCheck(option);
    if (!tag || !check) return undefined;
    for (const t of tag) byTag.set(t, check);
  }
  return (v) => {
    if (!isPlainObject(v)) return false;
    const check = byTag.get(v[discriminator]);
    return check !== undefined && check(v);
  };
}
function describeRaw(raw: unknown): string {
  if (raw && typeof raw === 'object') {
    const r = raw as Record<string, unknown>;
    if (typeof r.key === 'string') return r.key;
    if (typeof r.name === 'string') return r.name;
  }
  return '(unknown)';
}
