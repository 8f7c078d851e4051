import type { DesiredRecord, FieldLookup, RunContext } from '../../../src/engine/types';
import { AuthError } from '../../../src/errors';
import type { TableClient } from './client';
import type { RunCache } from './run-cache';

/**
 * Values that can go into an encoded query's IN list as they are: no `^`, no
 * comma, and spaces only between words (the list is split on commas; a space
 * at either end of a value would be a different value).
 */
const IN_SAFE = /^[A-Za-z0-9._@+-]+(?: [A-Za-z0-9._@+-]+)*$/;
const SAFE_PREFIX = /^[A-Za-z0-9._@+-]+/;
// A shorter prefix would read a good part of sys_user to find one person.
const MIN_PREFIX = 3;
// Values per query: keeps the URL short of what proxies and the instance accept.
const BATCH = 50;

interface Group {
  field: string;
  lookup: FieldLookup;
  values: Set<string>;
}

interface LookupEnv {
  client: TableClient;
  cache: RunCache;
  ctx: RunContext;
  connector: string;
}

/**
 * Replace each lookup field's value (a user name, a cost center name) by the
 * sys_id of the record it names. A value that names nothing, or more than one
 * record, is removed from the record: masync then neither clears nor
 * overwrites what a person set there. So is an empty value, and every value
 * of a table the integration user may not read (403), with one warning.
 * A resolved field's label is the value it was resolved from. Every lookup
 * table is asked at once, one query for all its values (in batches of 50).
 */
export async function resolveLookups(records: DesiredRecord[], env: LookupEnv): Promise<void> {
  const groups = new Map<string, Group>();
  for (const rec of records) {
    for (const [field, lookup] of Object.entries(rec.lookups)) {
      const value = rec.fields[field];
      if (value === undefined || value === '') continue;
      const key = `${field}\u0000${lookupKey(lookup)}`;
      const g = groups.get(key) ?? { field, lookup, values: new Set<string>() };
      g.values.add(value);
      groups.set(key, g);
    }
  }
  await Promise.all([...groups.values()].map((g) => lookUp(g, [...g.values].filter((v) => !env.cache.lookups.has(cacheKey(g.lookup, v))), env)));
  for (const rec of records) {
    for (const [field, lookup] of Object.entries(rec.lookups)) {
      const value = rec.fields[field];
      if (value === undefined) continue;
      const id = value === '' ? undefined : env.cache.lookups.get(cacheKey(lookup, value));
      if (id) {
        rec.fields[field] = id;
        rec.labels = { ...rec.labels, [field]: value };
      } else delete rec.fields[field];
    }
    // Resolved values are sys_ids now; resolving them again would look a sys_id up as a name.
    rec.lookups = {};
  }
}

async function lookUp(g: Group, values: string[], env: LookupEnv): Promise<void> {
  try {
    await lookUpAll(g, values, env);
  } catch (err) {
    if (!(err instanceof AuthError) || err.props.status !== 403) throw err;
    env.cache.warnOnce(
      env.ctx,
      `${env.connector}: may not read ${g.lookup.table} (HTTP 403), so ${g.field} is left unwritten on every record; grant the integration user read on ${g.lookup.table} to have it written`,
    );
    for (const v of values) if (!env.cache.lookups.has(cacheKey(g.lookup, v))) env.cache.lookups.set(cacheKey(g.lookup, v), null);
  }
}

/**
 * One query per batch finds a batch's values by every match field at once
 * (`user_nameINa,b^ORemailINa,b`); the fields are then tried here in their
 * order, as asking field after field would. A value that may not go into an
 * IN list is asked for by its safe leading part (STARTSWITH) in the same
 * query and compared exactly here.
 */
async function lookUpAll(g: Group, values: string[], env: LookupEnv): Promise<void> {
  const { client, cache, ctx, connector } = env;
  const where = `${g.lookup.table} (${g.lookup.match.join(', ')})`;
  const settle = (v: string, id: string | null, why?: string) => {
    cache.lookups.set(cacheKey(g.lookup, v), id);
    if (why) ctx.logger.warn(`${connector}: ${g.field} "${v}" ${why}; masync leaves ${g.field} unwritten`);
  };
  const asked = values.filter((v) => {
    if (IN_SAFE.test(v) || (SAFE_PREFIX.exec(v)?.[0] ?? '').length >= MIN_PREFIX) return true;
    settle(v, null, `is not looked up in ${where}: it has characters that cannot go safely into a ServiceNow query`);
    return false;
  });
  // match field → its value → the sys_ids holding it
  const found = new Map(g.lookup.match.map((f) => [f, new Map<string, Set<string>>()]));
  const batches: string[][] = [];
  for (let i = 0; i < asked.length; i += BATCH) batches.push(asked.slice(i, i + BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      for await (const row of client.list({ table: g.lookup.table, query: matchQuery(g.lookup.match, batch), fields: ['sys_id', ...g.lookup.match] }, ctx.signal)) {
        for (const [f, byValue] of found) {
          const v = row[f] ?? '';
          byValue.set(v, (byValue.get(v) ?? new Set()).add(row.sys_id));
        }
      }
    }),
  );
  for (const v of asked) {
    const field = g.lookup.match.find((f) => found.get(f)?.has(v));
    const ids = field === undefined ? undefined : found.get(field)?.get(v);
    if (!ids) settle(v, null, `not found in ${where}`);
    else if (ids.size === 1) settle(v, [...ids][0] as string);
    else settle(v, null, `matches ${ids.size} records of ${g.lookup.table} by ${field}, so it names none`);
  }
}

/** Every match field, OR-ed: the IN-safe values in one list each, the others by their safe prefix. */
function matchQuery(fields: readonly string[], values: readonly string[]): string {
  const listed = values.filter((v) => IN_SAFE.test(v));
  const prefixes = [...new Set(values.filter((v) => !IN_SAFE.test(v)).map((v) => SAFE_PREFIX.exec(v)?.[0] ?? ''))];
  const conditions: string[] = [];
  for (const f of fields) {
    if (listed.length > 0) conditions.push(`${f}IN${listed.join(',')}`);
    for (const p of prefixes) conditions.push(`${f}STARTSWITH${p}`);
  }
  return conditions.join('^OR');
}

// The mapping's lookups are a handful of objects shared by every record: their keys are built once.
const keys = new WeakMap<FieldLookup, string>();

function lookupKey(l: FieldLookup): string {
  let key = keys.get(l);
  if (key === undefined) keys.set(l, (key = `${l.table}\u0000${l.match.join(',')}`));
  return key;
}

function cacheKey(l: FieldLookup, value: string): string {
  return `${lookupKey(l)}\u0000${value}`;
}

/** sys_id → the value it was resolved from, for every value resolved in this run. */
export function resolvedLabels(cache: RunCache): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, id] of cache.lookups) if (id) out.set(id, key.split('\u0000').slice(2).join('\u0000'));
  return out;
}
