import type { SinkRecord, SinkRelation } from '../../../src/engine/types';
import type { RelationTypes } from './catalog';
import type { TableClient } from './client';
import { recordFields, type MappedShape } from './mapped';

/**
 * Managed CIs of each mapped class. The filter is constant (discovery source
 * and class, both from config), never a name or key: a free-text value in an
 * encoded query can rewrite it.
 */
export async function* readManagedRecords(client: TableClient, shape: MappedShape, discoverySource: string, signal?: AbortSignal): AsyncIterable<SinkRecord> {
  for (const cls of shape.classes.keys()) {
    const fields = recordFields(shape, cls, ['discovery_source']);
    const query = `discovery_source=${discoverySource}^sys_class_name=${cls}`;
    for await (const row of client.list({ table: cls, query, fields: ['sys_id', 'sys_class_name', ...fields] }, signal)) {
      const values: Record<string, string> = {};
      for (const f of fields) values[f] = row[f] ?? '';
      yield { id: row.sys_id, class: row.sys_class_name || cls, identity: row[shape.identityField] ?? '', fields: values };
    }
  }
}

/** cmdb_rel_ci rows with a managed CI at either end, found by dot-walking to the ends' discovery source. */
export async function* readRelationRows(client: TableClient, types: RelationTypes, discoverySource: string, signal?: AbortSignal): AsyncIterable<SinkRelation> {
  const query = `parent.discovery_source=${discoverySource}^ORchild.discovery_source=${discoverySource}`;
  for await (const row of client.list({ table: 'cmdb_rel_ci', query, fields: ['sys_id', 'parent', 'child', 'type'] }, signal)) {
    const type = row.type ?? '';
    yield { id: row.sys_id, type: types.nameById.get(type) ?? type, parentId: row.parent ?? '', childId: row.child ?? '' };
  }
}
