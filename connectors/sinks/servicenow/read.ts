import type { SinkRecord, SinkRelation } from '../../../src/engine/types';
import { MalformedResponseError } from '../../../src/errors';
import { inOrder } from '../../read-kit/in-order';
import type { RelationTypes } from './catalog';
import type { ResponseObserver, TableClient, TableRow } from './client';
import { fromGlideDateTime, toGlideDateTime } from './glide-time';
import { recordFields, type MappedShape } from './mapped';

export interface ReadEnv {
  client: TableClient;
  shape: MappedShape;
  discoverySource: string;
  connector: string;
  /** sys_id → what it names, for labelling reference values. */
  labels: ReadonlyMap<string, string>;
  /** Sees every answer's headers (the read's clock). */
  observe?: ResponseObserver;
}

/**
 * Managed CIs of each mapped class, the classes read side by side and
 * yielded one class after another. The filter is constant (discovery source
 * and class, both from config) and, for an incremental read, a date-time
 * built from a parsed instant: never a name or key, since a free-text value
 * in an encoded query can rewrite it.
 */
export function readManagedRecords(env: ReadEnv, changedSince: string | undefined, signal?: AbortSignal): AsyncIterable<SinkRecord> {
  const since = sinceClause(changedSince);
  return inOrder([...env.shape.classes.keys()].map((cls) => readClass(env, cls, since, signal)));
}

async function* readClass(env: ReadEnv, cls: string, since: string, signal?: AbortSignal): AsyncIterable<SinkRecord> {
  const fields = recordFields(env.shape, cls, ['discovery_source']);
  const lookupFields = [...(env.shape.lookupFields.get(cls) ?? [])];
  const query = `discovery_source=${env.discoverySource}^sys_class_name=${cls}${since}`;
  for await (const row of env.client.list({ table: cls, query, fields: ['sys_id', 'sys_class_name', 'sys_updated_on', ...fields] }, signal, env.observe)) {
    const values: Record<string, string> = {};
    for (const f of fields) values[f] = row[f] ?? '';
    const labels: Record<string, string> = {};
    for (const f of lookupFields) {
      const label = env.labels.get(values[f] ?? '');
      if (label !== undefined) labels[f] = label;
    }
    yield {
      id: row.sys_id,
      class: row.sys_class_name || cls,
      identity: row[env.shape.identityField] ?? '',
      fields: values,
      ...(lookupFields.length > 0 && Object.keys(labels).length > 0 ? { labels } : {}),
      updatedAt: updatedAt(row, cls, env.connector),
    };
  }
}

/**
 * cmdb_rel_ci rows with a managed CI at either end, found by dot-walking to
 * the ends' discovery source; `type` is the relationship type's sys_id (see
 * `withTypeNames`), so the rows need not wait for the types to be read.
 */
export async function* readRelationRows(env: ReadEnv, changedSince: string | undefined, signal?: AbortSignal): AsyncIterable<SinkRelation> {
  // `a^ORb^c` reads (a OR b) AND c: the date narrows both ends' conditions.
  const query = `parent.discovery_source=${env.discoverySource}^ORchild.discovery_source=${env.discoverySource}${sinceClause(changedSince)}`;
  for await (const row of env.client.list({ table: 'cmdb_rel_ci', query, fields: ['sys_id', 'parent', 'child', 'type', 'sys_updated_on'] }, signal, env.observe)) {
    yield { id: row.sys_id, type: row.type ?? '', parentId: row.parent ?? '', childId: row.child ?? '', updatedAt: updatedAt(row, 'cmdb_rel_ci', env.connector) };
  }
}

/** Relations as the engine names them: "Contains::Contained by", not the type's sys_id. */
export function withTypeNames(rows: SinkRelation[], types: RelationTypes): SinkRelation[] {
  for (const r of rows) r.type = types.nameById.get(r.type) ?? r.type;
  return rows;
}

function sinceClause(changedSince: string | undefined): string {
  return changedSince === undefined ? '' : `^sys_updated_on>=${toGlideDateTime(changedSince)}`;
}

/** The record's sys_updated_on as an ISO instant: the engine's cursor, so a record without one is a malformed answer. */
function updatedAt(row: TableRow, table: string, connector: string): string {
  const iso = fromGlideDateTime(row.sys_updated_on ?? '');
  if (iso) return iso;
  throw new MalformedResponseError(`${connector}: GET ${table}: malformed response: record ${row.sys_id}: sys_updated_on: ${JSON.stringify(row.sys_updated_on ?? null)} is not a date-time (may the integration user read it?)`, {
    connector,
    field: 'sys_updated_on',
  });
}
