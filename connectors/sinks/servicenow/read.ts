import type { SinkRecord, SinkRelation } from '../../../src/engine/types';
import { MalformedResponseError } from '../../../src/errors';
import { inOrder } from '../../read-kit/in-order';
import type { RelationTypes } from './catalog';
import type { ResponseObserver, TableClient, TableRow } from './client';
import { fromGlideDateTime, toGlideDateTime } from './glide-time';
import { recordFields, type MappedShape } from './mapped';
import type { ReadWindow } from './read-cursor';

export interface ReadEnv {
  client: TableClient;
  shape: MappedShape;
  discoverySource: string;
  connector: string;
  /** sys_id → what it names, for labelling reference values. */
  labels: ReadonlyMap<string, string>;
  /** Sees every answer's headers (the read's clock). */
  observe?: ResponseObserver;
  /** A read that left masync's own writes unread got rows without sys_updated_by. */
  writerUnseen?: () => void;
}

/**
 * Managed CIs of each mapped class, the classes read side by side and
 * yielded one class after another. The filter is constant (discovery source
 * and class, both from config) and, for an incremental read, date-times
 * built from parsed instants and the writer name the instance gave, checked
 * against a safe alphabet: never a name or key, since a free-text value in
 * an encoded query can rewrite it.
 */
export function readManagedRecords(env: ReadEnv, window: ReadWindow | undefined, signal?: AbortSignal): AsyncIterable<SinkRecord> {
  return inOrder([...env.shape.classes.keys()].map((cls) => readClass(env, cls, window, signal)));
}

async function* readClass(env: ReadEnv, cls: string, window: ReadWindow | undefined, signal?: AbortSignal): AsyncIterable<SinkRecord> {
  const fields = recordFields(env.shape, cls, ['discovery_source']);
  const lookupFields = [...(env.shape.lookupFields.get(cls) ?? [])];
  const base = `discovery_source=${env.discoverySource}^sys_class_name=${cls}`;
  for await (const row of listWindow(env, { table: cls, base, fields: ['sys_id', 'sys_class_name', 'sys_updated_on', ...fields] }, window, signal)) {
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
export async function* readRelationRows(env: ReadEnv, window: ReadWindow | undefined, signal?: AbortSignal): AsyncIterable<SinkRelation> {
  // `a^ORb^c` reads (a OR b) AND c: the date narrows both ends' conditions.
  const base = `parent.discovery_source=${env.discoverySource}^ORchild.discovery_source=${env.discoverySource}`;
  for await (const row of listWindow(env, { table: 'cmdb_rel_ci', base, fields: ['sys_id', 'parent', 'child', 'type', 'sys_updated_on'] }, window, signal)) {
    yield { id: row.sys_id, type: row.type ?? '', parentId: row.parent ?? '', childId: row.child ?? '', updatedAt: updatedAt(row, 'cmdb_rel_ci', env.connector) };
  }
}

/** Relations as the engine names them: "Contains::Contained by", not the type's sys_id. */
export function withTypeNames(rows: SinkRelation[], types: RelationTypes): SinkRelation[] {
  for (const r of rows) r.type = types.nameById.get(r.type) ?? r.type;
  return rows;
}

/**
 * The rows of `base` inside the window. With masync's own writes known, two
 * `^NQ` groups: rows changed since the start by anyone but masync's writer
 * (an empty sys_updated_by matches neither `=` nor `!=`, so it is asked for
 * too), and rows changed by anyone after the second of masync's last write
 * answer. A row masync's writer changed in between is one of masync's own
 * writes, whose link holds what it wrote. A row that comes back without the
 * sys_updated_by column (the instance does not have it, or hides it) makes
 * that filter untrustworthy: the listing is read again without it, and the
 * rows not yet given are given.
 */
async function* listWindow(env: ReadEnv, q: { table: string; base: string; fields: string[] }, window: ReadWindow | undefined, signal?: AbortSignal): AsyncIterable<TableRow> {
  const plain = { table: q.table, query: window ? `${q.base}^sys_updated_on>=${toGlideDateTime(window.since)}` : q.base, fields: q.fields };
  if (!window?.own) return yield* env.client.list(plain, signal, env.observe);
  const { writer, endedAt } = window.own;
  const query = `${plain.query}^sys_updated_by!=${writer}^ORsys_updated_byISEMPTY^NQ${q.base}^sys_updated_on>${toGlideDateTime(endedAt)}`;
  const given = new Set<string>();
  for await (const row of env.client.list({ ...q, query, fields: [...q.fields, 'sys_updated_by'] }, signal, env.observe)) {
    if (!('sys_updated_by' in row)) {
      env.writerUnseen?.();
      for await (const r of env.client.list(plain, signal, env.observe)) if (!given.has(r.sys_id)) yield r;
      return;
    }
    given.add(row.sys_id);
    yield row;
  }
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
