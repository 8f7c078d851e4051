import type { BootstrapStep, RunContext } from '../../../src/engine/types';
import { AuthError, ConnectorError, describeError } from '../../../src/errors';
import { plannedAttributes, type PlannedAttribute } from './attribute-plan';
import { findSchema, toCatalogAttr, type CatalogAttr } from './catalog';
import type { AttributeDefinition, CatalogClient } from './catalog-client';
import type { MappedShape } from './mapped';
import { ATTR } from './wire';

export interface BootstrapEnv {
  client: CatalogClient;
  shape: MappedShape;
  schemaRef: string;
  schemaKey?: string;
  connector: string;
}

/**
 * `masync init --sink NAME --apply-schema`: create the object schema (when
 * absent), the mapped object types and the attributes the mapping writes,
 * and nothing that is already there, so a second run creates nothing. An
 * existing attribute is never changed; where it differs from what masync
 * would make, the step says so. A dry run only reads.
 */
export async function bootstrapSchema(env: BootstrapEnv, dryRun: boolean, ctx: RunContext): Promise<BootstrapStep[]> {
  const { client } = env;
  const steps: BootstrapStep[] = [];
  const schemas = await client.schemas(ctx);
  let schema = findSchema(schemas, env.schemaRef);
  if (schema) steps.push({ action: 'exists', what: `object schema "${schema.name}"`, detail: `key ${schema.objectSchemaKey}` });
  else {
    const key = env.schemaKey ?? freeKey(env.schemaRef, new Set(schemas.map((s) => s.objectSchemaKey)));
    steps.push({ action: 'create', what: `object schema "${env.schemaRef}"`, detail: `key ${key}` });
    if (!dryRun) schema = await admin(env, 'create the object schema', () => client.createSchema(env.schemaRef, key, ctx));
  }

  const present = schema ? await client.objectTypes(schema.id, ctx) : [];
  const typeIds = new Map<string, string>();
  const attrs = new Map<string, CatalogAttr[]>();
  let iconId: string | undefined;
  for (const mt of env.shape.types.values()) {
    const found = present.find((t) => t.name.toLowerCase() === mt.name.toLowerCase());
    if (found) {
      steps.push({ action: 'exists', what: `object type "${found.name}"` });
      typeIds.set(mt.name, found.id);
      attrs.set(mt.name, (await client.attributes(found.id, ctx)).map(toCatalogAttr));
      continue;
    }
    steps.push({ action: 'create', what: `object type "${mt.name}"`, detail: `for ${mt.kinds.join(', ')}` });
    if (dryRun || !schema) continue;
    const schemaId = schema.id;
    iconId ??= await pickIcon(env, ctx);
    const created = await admin(env, `create object type "${mt.name}"`, () => client.createObjectType(schemaId, mt.name, iconId as string, ctx));
    typeIds.set(mt.name, created.id);
    attrs.set(mt.name, (await client.attributes(created.id, ctx)).map(toCatalogAttr));
  }

  // References last: they point at types the loop above may just have made.
  const work = [...env.shape.types.values()].flatMap((mt) => plannedAttributes(mt, env.shape).map((p) => ({ mt, p })));
  work.sort((a, b) => Number(a.p.type === ATTR.reference) - Number(b.p.type === ATTR.reference));
  let referenceTypeId: string | undefined;
  for (const { mt, p } of work) {
    const what = `attribute "${p.name}" on "${mt.name}"`;
    const existing = (attrs.get(mt.name) ?? []).find((a) => a.name.toLowerCase() === p.name.toLowerCase());
    if (existing) {
      const differs = difference(existing, p, typeIds);
      steps.push({ action: 'exists', what, ...(differs ? { detail: differs } : {}) });
      continue;
    }
    steps.push({ action: 'create', what, detail: p.describe });
    const typeId = typeIds.get(mt.name);
    if (dryRun || !typeId || !schema) continue;
    const schemaId = schema.id;
    if (p.type === ATTR.reference) referenceTypeId ??= await pickReferenceType(env, schemaId, ctx);
    const def = definition(p, typeIds, referenceTypeId);
    await admin(env, `create ${what}`, () => client.createAttribute(typeId, def, ctx));
  }
  return steps;
}

function definition(p: PlannedAttribute, typeIds: Map<string, string>, referenceTypeId: string | undefined): AttributeDefinition {
  const def: AttributeDefinition = { name: p.name, type: p.type, description: 'Written by masync' };
  if (p.defaultTypeId !== undefined) def.defaultTypeId = p.defaultTypeId;
  if (p.options) def.options = p.options.join(',');
  if (p.max !== undefined) def.maximumCardinality = p.max;
  if (p.referenceTo !== undefined) {
    def.typeValue = typeIds.get(p.referenceTo);
    def.additionalValue = referenceTypeId;
  }
  return def;
}

/** Where an attribute someone made differs from what masync writes into it. */
function difference(a: CatalogAttr, p: PlannedAttribute, typeIds: Map<string, string>): string | undefined {
  if (p.type !== a.type || (p.defaultTypeId !== undefined && p.defaultTypeId !== a.defaultTypeId)) {
    return `is another kind of attribute than the ${p.describe} masync would make; values it refuses are left unwritten, with a warning`;
  }
  if (p.referenceTo !== undefined && a.referenceObjectTypeId !== typeIds.get(p.referenceTo)) return `does not reference "${p.referenceTo}"`;
  const missing = (p.options ?? []).filter((o) => a.options !== undefined && !a.options.includes(o));
  if (missing.length > 0) return `lacks the option(s) ${missing.join(', ')}; add them in Assets`;
  return undefined;
}

async function pickIcon(env: BootstrapEnv, ctx: RunContext): Promise<string> {
  const icons = await env.client.icons(ctx);
  const preferred = ['software', 'application', 'cloud'].map((n) => icons.find((i) => i.name.toLowerCase() === n)).find(Boolean);
  const icon = preferred ?? icons[0];
  if (!icon) throw new ConnectorError(`${env.connector}: Assets offers no global icon to give a new object type`, { connector: env.connector });
  return icon.id;
}

async function pickReferenceType(env: BootstrapEnv, schemaId: string, ctx: RunContext): Promise<string> {
  const types = await env.client.referenceTypes(schemaId, ctx);
  const chosen = types.find((t) => t.name.toLowerCase() === 'reference') ?? types.find((t) => t.name.toLowerCase() === 'dependency') ?? types[0];
  if (!chosen) {
    throw new ConnectorError(`${env.connector}: the schema has no reference types; add one (e.g. "Reference") under the schema's configuration, then run again`, { connector: env.connector });
  }
  return chosen.id;
}

/** A schema key from the name: up to three letters of each word, 2-10 in all, made unique with a digit. */
function freeKey(name: string, taken: Set<string>): string {
  const words = name.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  let base = words.map((w) => w.slice(0, 3)).join('').slice(0, 8);
  if (!/^[A-Z]/.test(base)) base = `M${base}`.slice(0, 8);
  if (base.length < 2) base = `${base}ML`.slice(0, 8);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** A schema write; a refusal says which Assets role the user lacks. */
async function admin<T>(env: BootstrapEnv, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    throw new AuthError(
      `${env.connector}: not allowed to ${what} (${describeError(err)}): creating an object schema needs a Jira administrator; object types and attributes need the Object Schema Manager role on "${env.schemaRef}"`,
      { connector: env.connector, status: err.props.status },
      { cause: err },
    );
  }
}

