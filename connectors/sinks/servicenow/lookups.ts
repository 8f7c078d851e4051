import type { DesiredRecord, FieldLookup, RunContext } from '../../../src/engine/types';
import { AuthError } from '../../../src/errors';
import type { TableClient } from './client';
import type { RunCache } from './run-cache';

/** Values that can go into an encoded query as they are (no ^, no comma, no space). */
const QUERY_SAFE = /^[A-Za-z0-9._@+-]+$/;
const SAFE_PREFIX = /^[A-Za-z0-9._@+-]+/;
// A shorter prefix would read a good part of sys_user to find one person.
const MIN_PREFIX = 3;
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
 * A resolved field's label is the value it was resolved from.
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
  for (const g of groups.values()) await lookUp(g, [...g.values].filter((v) => !env.cache.lookups.has(cacheKey(g.lookup, v))), env);
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

async function lookUpAll(g: Group, values: string[], env: LookupEnv): Promise<void> {
  const { client, cache, ctx, connector } = env;
  const where = `${g.lookup.table} (${g.lookup.match.join(', ')})`;
  const settle = (v: string, id: string | null, why?: string) => {
    cache.lookups.set(cacheKey(g.lookup, v), id);
    if (why) ctx.logger.warn(`${connector}: ${g.field} "${v}" ${why}; masync leaves ${g.field} unwritten`);
  };
  let unresolved = values.filter((v) => {
    if (QUERY_SAFE.test(v) || (SAFE_PREFIX.exec(v)?.[0] ?? '').length >= MIN_PREFIX) return true;
    settle(v, null, `is not looked up in ${where}: it has characters that cannot go safely into a ServiceNow query`);
    return false;
  });
  for (const field of g.lookup.match) {
    if (unresolved.length === 0) return;
    const found = new Map<string, Set<string>>();
    const record = (row: Record<string, string>) => {
      const v = row[field] ?? '';
      found.set(v, (found.get(v) ?? new Set()).add(row.sys_id ?? ''));
    };
    const safe = unresolved.filter((v) => QUERY_SAFE.test(v));
    for (let i = 0; i < safe.length; i += BATCH) {
      const query = `${field}IN${safe.slice(i, i + BATCH).join(',')}`;
      for await (const row of client.list({ table: g.lookup.table, query, fields: ['sys_id', field] }, ctx.signal)) record(row);
    }
    // Names with spaces or other characters: query by their safe leading part, then compare exactly here.
    for (const v of unresolved.filter((x) => !QUERY_SAFE.test(x))) {
      const query = `${field}STARTSWITH${SAFE_PREFIX.exec(v)?.[0] ?? ''}`;
      for await (const row of client.list({ table: g.lookup.table, query, fields: ['sys_id', field] }, ctx.signal)) if (row[field] === v) record(row);
    }
    unresolved = unresolved.filter((v) => {
      const ids = found.get(v);
      if (!ids) return true;
      if (ids.size === 1) settle(v, [...ids][0] as string);
      else settle(v, null, `matches ${ids.size} records of ${g.lookup.table} by ${field}, so it names none`);
      return false;
    });
  }
  for (const v of unresolved) settle(v, null, `not found in ${where}`);
}

function lookupKey(l: FieldLookup): string {
  return `${l.table}\u0000${l.match.join(',')}`;
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
