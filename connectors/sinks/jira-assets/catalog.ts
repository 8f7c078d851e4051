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

/** The schema, object types and attributes the mapping names, resolved to ids. */
export interface Catalog {
  schema?: { id: string; name: string; key: string };
  /** Mapped types found in the schema; a missing one is simply absent. */
  types: CatalogType[];
}

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
  const found = [...shape.types.keys()].flatMap((name) => {
    const t = present.find((p) => p.name === name) ?? present.find((p) => p.name.toLowerCase() === name.toLowerCase());
    return t ? [{ id: t.id, name }] : [];
  });
  // Every type's attributes at once: one round trip, however many types the mapping names.
  const types = await Promise.all(found.map(async (t): Promise<CatalogType> => ({ ...t, attrs: (await client.attributes(t.id, ctx)).map(toCatalogAttr) })));
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
 * The catalog, read once per run and never kept longer: an attribute an
 * admin deleted and made again has a new id, and a value read under the old
 * one would look empty (an empty External key looks like a missing record).
 * Five GETs a run, three round trips deep, buy that certainty. A catalog that lacks what masync needs
 * is an error pointing at `--apply-schema`.
 */
export function loadCatalog(env: CatalogEnv, ctx: RunContext): Promise<Catalog> {
  return env.state.once('catalog', async () => {
    const catalog = await resolveCatalog(env.client, env.shape, env.schemaRef, ctx);
    const gaps = catalogGaps(catalog, env.shape, env.schemaRef);
    if (gaps.length > 0) {
      throw new ConnectorError(`${env.connector}: ${gaps.join('; ')}; create them with \`masync init --sink ${env.connector} --apply-schema\` (or fix the mapping)`, {
        connector: env.connector,
        code: 'schema-incomplete',
      });
    }
    return catalog;
  });
}
