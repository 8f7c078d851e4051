import type { Clock, RunContext, SinkReadOptions, SinkRecord, SinkRelation } from '../../../src/engine/types';
import { ConnectorError } from '../../../src/errors';
import { inOrder } from '../../read-kit/in-order';
import { managedQuery } from './aql';
import { findAttr, findType, type Catalog, type CatalogAttr, type CatalogType } from './catalog';
import type { AssetsClient } from './client';
import type { MappedShape, MappedType } from './mapped';
import { relationId } from './relation-id';
import type { RunState } from './run-state';
import { readText, referencesOf, valuesOf } from './values';
import type { AssetObject } from './wire';

export interface ReadEnv {
  connector: string;
  client: AssetsClient;
  shape: MappedShape;
  managedBy: string;
  state: RunState;
  clock: Clock;
  catalog(): Promise<Catalog>;
}

/**
 * Objects masync manages, type by type (the types asked for at once, yielded
 * one after another): AQL on the type's id and the ownership attribute, never
 * on a name or key. AQL's `=` ignores case, so the ownership value is
 * compared exactly here as well. The reference values seen on the way are
 * kept, so reading the relations right after costs no second pass.
 */
export async function* readManagedObjects(env: ReadEnv, ctx: RunContext, opts: SinkReadOptions = {}): AsyncIterable<SinkRecord> {
  const catalog = await env.catalog();
  const writesBefore = env.state.writes;
  const relations: SinkRelation[] = [];
  const unkeyed: string[] = [];
  const types = [...env.shape.types.values()].map((mt) => ({ mt, type: findType(catalog, mt.name) as CatalogType }));
  const reads = types.map(({ mt, type }) => withType(managedObjects(env, type, ctx, opts), mt, type));
  for await (const { obj, mt, type } of inOrder(reads)) {
    const record = toRecord(obj, mt, type, env.shape);
    if (record.identity === '') unkeyed.push(obj.objectKey);
    yield record;
    for (const r of relationsOf(obj, mt, type)) relations.push(r);
  }
  if (unkeyed.length > 0) {
    // masync cannot tell which item such an object stands for; going on would create a second object for it.
    throw new ConnectorError(
      `${env.connector}: ${unkeyed.length} object(s) marked "${env.shape.ownership}: ${env.managedBy}" have no "${env.shape.identity}" (${unkeyed.slice(0, 5).join(', ')}${unkeyed.length > 5 ? ', …' : ''}); ` +
        `masync stops rather than create duplicates: restore their ${env.shape.identity}, or clear their ${env.shape.ownership} to hand them over to people`,
      { connector: env.connector, code: 'identity-missing' },
    );
  }
  if (env.state.writes === writesBefore) env.state.relations = { since: opts.changedSince ?? '', list: relations };
}

/** Reference values on managed objects, from the last read when nothing was written since, else read afresh. */
export async function* readReferenceRelations(env: ReadEnv, ctx: RunContext, opts: SinkReadOptions = {}): AsyncIterable<SinkRelation> {
  const kept = env.state.relations;
  if (kept && kept.since === (opts.changedSince ?? '')) {
    yield* kept.list;
    return;
  }
  const catalog = await env.catalog();
  for (const mt of env.shape.types.values()) {
    if (mt.references.size === 0) continue;
    const type = findType(catalog, mt.name) as CatalogType;
    for await (const obj of managedObjects(env, type, ctx, opts)) yield* relationsOf(obj, mt, type);
  }
}

async function* withType(objects: AsyncIterable<AssetObject>, mt: MappedType, type: CatalogType): AsyncIterable<{ obj: AssetObject; mt: MappedType; type: CatalogType }> {
  for await (const obj of objects) yield { obj, mt, type };
}

async function* managedObjects(env: ReadEnv, type: CatalogType, ctx: RunContext, opts: SinkReadOptions): AsyncIterable<AssetObject> {
  const ownership = findAttr(type, env.shape.ownership) as CatalogAttr;
  const query = managedQuery(type.id, { attribute: ownership.name, value: env.managedBy }, sinceOf(opts, env.clock));
  for await (const obj of env.client.search(query, ctx)) {
    if (readText(ownership, valuesOf(obj, ownership.id)).text !== env.managedBy) continue;
    env.state.remember(obj);
    env.state.managed.add(obj.id);
    yield obj;
  }
}

function toRecord(obj: AssetObject, mt: MappedType, type: CatalogType, shape: MappedShape): SinkRecord {
  const fields: Record<string, string> = {};
  const labels: Record<string, string> = {};
  for (const name of new Set([...mt.attributes.keys(), shape.identity, shape.ownership, ...Object.keys(shape.retired)])) {
    const attr = findAttr(type, name);
    if (!attr) continue; // not on the type: resolve() leaves it unwritten, with a warning
    const { text, label } = readText(attr, valuesOf(obj, attr.id));
    fields[name] = text;
    if (label !== undefined) labels[name] = label;
  }
  const updated = obj.updated ? Date.parse(obj.updated) : NaN;
  return {
    id: obj.id,
    class: mt.name,
    identity: fields[shape.identity] ?? '',
    fields,
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Number.isNaN(updated) ? {} : { updatedAt: new Date(updated).toISOString() }),
  };
}

function relationsOf(obj: AssetObject, mt: MappedType, type: CatalogType): SinkRelation[] {
  const out: SinkRelation[] = [];
  for (const ref of mt.references.values()) {
    const attr = findAttr(type, ref.attribute);
    if (!attr) continue;
    for (const target of referencesOf(obj, attr.id)) {
      const [parentId, childId] = ref.role === 'child' ? [target.id, obj.id] : [obj.id, target.id];
      out.push({ id: relationId(obj.id, attr.id, target.id), type: ref.attribute, parentId, childId });
    }
  }
  return out;
}

function sinceOf(opts: SinkReadOptions, clock: Clock): { minutesAgo: number } | undefined {
  if (opts.changedSince === undefined) return undefined;
  const at = Date.parse(opts.changedSince);
  // An unreadable cursor reads everything: reading too much is safe, too little is not.
  if (Number.isNaN(at)) return undefined;
  return { minutesAgo: (clock.now().getTime() - at) / 60_000 };
}
