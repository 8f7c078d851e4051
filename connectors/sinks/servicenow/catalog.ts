import type { TableClient } from './client';

export interface Column {
  type: string;
  maxLength: number;
}

/** A class as the instance defines it: absent, or present with its ancestors (nearest first) and columns (inherited ones included). */
export type ClassInfo = { exists: false } | { exists: true; ancestors: string[]; columns: Map<string, Column> };

/** The table every CI class extends; every instance has it, so not seeing it means sys_db_object is hidden. */
export const CI_BASE = 'cmdb_ci';

export interface RelationTypes {
  idByName: Map<string, string>;
  nameById: Map<string, string>;
}

// Values read back from the instance still go through this before they enter a query.
const SYS_ID = /^[A-Za-z0-9]{1,64}$/;

/** Read sys_db_object up each class's super_class chain, then sys_dictionary for every table on the chains. */
export async function readClasses(client: TableClient, classes: readonly string[], signal?: AbortSignal): Promise<Map<string, ClassInfo>> {
  const byId = new Map<string, { name: string; parent: string }>();
  const idByName = new Map<string, string>();
  let query = `nameIN${classes.join(',')}`;
  while (query) {
    const parents = new Set<string>();
    for await (const r of client.list({ table: 'sys_db_object', query, fields: ['sys_id', 'name', 'super_class'] }, signal)) {
      byId.set(r.sys_id, { name: r.name ?? '', parent: r.super_class ?? '' });
      idByName.set(r.name ?? '', r.sys_id);
      if (r.super_class) parents.add(r.super_class);
    }
    const unknown = [...parents].filter((id) => !byId.has(id) && SYS_ID.test(id));
    query = unknown.length ? `sys_idIN${unknown.join(',')}` : '';
  }

  const chains = new Map<string, string[]>();
  for (const cls of classes) {
    const chain: string[] = [];
    for (let entry = byId.get(idByName.get(cls) ?? ''); entry && !chain.includes(entry.name); entry = byId.get(entry.parent)) {
      chain.push(entry.name);
    }
    chains.set(cls, chain);
  }

  const tables = [...new Set([...chains.values()].flat())];
  const own = new Map<string, Map<string, Column>>();
  if (tables.length > 0) {
    const query = `nameIN${tables.join(',')}^elementISNOTEMPTY`;
    for await (const r of client.list({ table: 'sys_dictionary', query, fields: ['sys_id', 'name', 'element', 'internal_type', 'max_length'] }, signal)) {
      const cols = own.get(r.name ?? '') ?? new Map<string, Column>();
      cols.set(r.element ?? '', { type: r.internal_type ?? '', maxLength: Number(r.max_length ?? '0') || 0 });
      own.set(r.name ?? '', cols);
    }
  }

  const out = new Map<string, ClassInfo>();
  for (const [cls, chain] of chains) {
    if (chain.length === 0) {
      out.set(cls, { exists: false });
      continue;
    }
    const columns = new Map<string, Column>();
    for (const t of chain) for (const [k, c] of own.get(t) ?? []) if (!columns.has(k)) columns.set(k, c);
    out.set(cls, { exists: true, ancestors: chain.slice(1), columns });
  }
  return out;
}

/** Every cmdb_rel_type, both ways: few enough to read whole, and no type name ever enters a query. */
export async function readRelationTypes(client: TableClient, signal?: AbortSignal): Promise<RelationTypes> {
  const idByName = new Map<string, string>();
  const nameById = new Map<string, string>();
  for await (const r of client.list({ table: 'cmdb_rel_type', query: '', fields: ['sys_id', 'name'] }, signal)) {
    nameById.set(r.sys_id, r.name ?? '');
    if (r.name && !idByName.has(r.name)) idByName.set(r.name, r.sys_id);
  }
  return { idByName, nameById };
}
