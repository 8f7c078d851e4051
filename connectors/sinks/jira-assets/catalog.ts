import type { RunContext } from '../../../src/engine/types';
import { ConnectorError } from '../../../src/errors';
import type { CatalogClient } from './catalog-client';
import type { MappedShape } from './mapped';
import type { RunState } from './run-state';
import type { ObjectSchema, TypeAttribute } from './wire';

/** One attribute of an object type, as masync needs it to read and write values. */
export interface CatalogAttr {
  id: string;
  name: string;
  /** 0 default, 1 object reference, 2 user, 4 group, 7 status. */
  type: number;
  defaultTypeId?: number;
  referenceObjectTypeId?: string;
  /** Most values it may hold; -1 for no limit. */
  max: number;
  /** A Select attribute's options. */
  options?: string[];
}

export interface CatalogType {
  id: string;
  name: string;
  attrs: CatalogAttr[];
}

/** The schema, object types and attributes the mapping names, resolved to ids. Plain data: kept between runs. */
export interface Catalog {
  schema?: { id: string; name: string; key: string };
  /** Mapped types found in the schema; a missing one is simply absent. */
  types: CatalogType[];
}

const CACHE_KEY = 'catalog';

export function findType(catalog: Catalog, name: string): CatalogType | undefined {
  return catalog.types.find((t) => t.name === name);
}

/** By name as the mapping spells it; Assets treats attribute names without regard to case, so a case-only difference still matches. */
export function findAttr(type: CatalogType | undefined, name: string): CatalogAttr | undefined {
  if (!type) return undefined;
  return type.attrs.find((a) => a.name === name) ?? type.attrs.find((a) => a.name.toLowerCase() === name.toLowerCase());
}

export function findSchema(schemas: ObjectSchema[], ref: string): ObjectSchema | undefined {
  return schemas.find((s) => s.name === ref) ?? schemas.find((s) => s.objectSchemaKey === ref) ?? schemas.find((s) => s.name.toLowerCase() === ref.toLowerCase());
}

/** Read the schema, its mapped object types and their attributes by name. */
export async function resolveCatalog(client: CatalogClient, shape: MappedShape, schemaRef: string, ctx: RunContext): Promise<Catalog> {
  const schema = findSchema(await client.schemas(ctx), schemaRef);
  if (!schema) return { types: [] };
  const present = await client.objectTypes(schema.id, ctx);
  const types: CatalogType[] = [];
  for (const name of shape.types.keys()) {
    const t = present.find((p) => p.name === name) ?? present.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (t) types.push({ id: t.id, name, attrs: (await client.attributes(t.id, ctx)).map(toCatalogAttr) });
  }
  return { schema: { id: schema.id, name: schema.name, key: schema.objectSchemaKey }, types };
}

export function toCatalogAttr(a: TypeAttribute): CatalogAttr {
  return {
    id: a.id,
    name: a.name,
    type: a.type,
    ...(a.defaultType ? { defaultTypeId: a.defaultType.id } : {}),
    ...(a.referenceObjectTypeId ? { referenceObjectTypeId: a.referenceObjectTypeId } : {}),
    max: a.maximumCardinality ?? -1,
    ...(a.options ? { options: a.options.split(',').map((o) => o.trim()).filter(Boolean) } : {}),
  };
}

/** What is missing for masync to read and write at all, as one sentence per gap. */
function catalogGaps(catalog: Catalog, shape: MappedShape, schemaRef: string): string[] {
  if (!catalog.schema) return [`object schema "${schemaRef}" does not exist`];
  const gaps: string[] = [];
  for (const name of shape.types.keys()) {
    const t = findType(catalog, name);
    if (!t) {
      gaps.push(`object type "${name}" does not exist in schema "${catalog.schema.name}"`);
      continue;
    }
    for (const attr of [shape.identity, shape.ownership, ...Object.keys(shape.retired)]) {
      if (!findAttr(t, attr)) gaps.push(`object type "${name}" has no attribute "${attr}"`);
    }
  }
  return gaps;
}

export interface CatalogEnv {
  client: CatalogClient;
  shape: MappedShape;
  schemaRef: string;
  connector: string;
  state: RunState;
}

/**
 * The catalog, once per run: from the connector cache when one is kept and no
 * full read was asked for, else from Assets. A catalog that lacks what masync
 * needs is never trusted from the cache (an admin may just have added it),
 * and is an error pointing at `--apply-schema`.
 */
export function loadCatalog(env: CatalogEnv, ctx: RunContext): Promise<Catalog> {
  return env.state.once(CACHE_KEY, async () => {
    const cached = ctx.full ? undefined : ctx.cache.get<Catalog & { ref?: string }>(CACHE_KEY);
    if (cached && cached.ref === env.schemaRef && Array.isArray(cached.types) && catalogGaps(cached, env.shape, env.schemaRef).length === 0) return cached;
    const fresh = await resolveCatalog(env.client, env.shape, env.schemaRef, ctx);
    const gaps = catalogGaps(fresh, env.shape, env.schemaRef);
    if (gaps.length > 0) {
      throw new ConnectorError(`${env.connector}: ${gaps.join('; ')}; create them with \`masync init --sink ${env.connector} --apply-schema\` (or fix the mapping)`, {
        connector: env.connector,
        code: 'schema-incomplete',
      });
    }
    ctx.cache.set(CACHE_KEY, { ...fresh, ref: env.schemaRef });
    return fresh;
  });
}

/** Forget the cached catalog, after Assets rejected an id it gave (an attribute deleted and made again). */
export function dropCachedCatalog(ctx: RunContext): void {
  ctx.cache.delete(CACHE_KEY);
}
