import { z } from 'zod';
import type { RunContext } from '../../../src/engine/types';
import { parseWire } from './parse';
import type { AssetsTransport } from './transport';
import { cloudSchemaList, dcSchemaList, icon, objectSchema, objectType, referenceType, typeAttribute, type ObjectSchema, type ObjectType, type TypeAttribute } from './wire';

/** What `objecttypeattribute/{typeId}` needs to create one attribute. */
export interface AttributeDefinition {
  name: string;
  type: number;
  defaultTypeId?: number;
  /** Object reference: the referenced object type's id. */
  typeValue?: string;
  /** Object reference: the reference type's id. */
  additionalValue?: string;
  options?: string;
  minimumCardinality?: number;
  maximumCardinality?: number;
  description?: string;
}

/** Schema-level calls: object schemas, object types, their attributes, and what creating them needs. */
export class CatalogClient {
  constructor(
    private readonly transport: AssetsTransport,
    private readonly connector: string,
  ) {}

  async schemas(ctx: RunContext): Promise<ObjectSchema[]> {
    if (this.transport.deployment === 'datacenter') {
      return (await this.get(dcSchemaList, 'objectschema/list', ctx)).objectschemas;
    }
    const out: ObjectSchema[] = [];
    for (let startAt = 0; ; ) {
      const page = await this.get(cloudSchemaList, 'objectschema/list', ctx, { startAt, maxResults: 50 });
      out.push(...page.values);
      if (page.isLast || page.values.length === 0) return out;
      startAt += page.values.length;
    }
  }

  objectTypes(schemaId: string, ctx: RunContext): Promise<ObjectType[]> {
    return this.get(z.array(objectType), `objectschema/${encodeURIComponent(schemaId)}/objecttypes/flat`, ctx);
  }

  attributes(objectTypeId: string, ctx: RunContext): Promise<TypeAttribute[]> {
    return this.get(z.array(typeAttribute), `objecttype/${encodeURIComponent(objectTypeId)}/attributes`, ctx);
  }

  icons(ctx: RunContext) {
    return this.get(z.array(icon), 'icon/global', ctx);
  }

  referenceTypes(schemaId: string, ctx: RunContext) {
    return this.get(z.array(referenceType), 'config/referencetype', ctx, { objectSchemaId: schemaId });
  }

  createSchema(name: string, objectSchemaKey: string, ctx: RunContext): Promise<ObjectSchema> {
    return this.post(objectSchema, 'objectschema/create', { name, objectSchemaKey, description: 'Machine-learning models, versions and deployments, kept by masync' }, ctx);
  }

  createObjectType(schemaId: string, name: string, iconId: string, ctx: RunContext): Promise<ObjectType> {
    return this.post(objectType, 'objecttype/create', { name, iconId, objectSchemaId: schemaId, description: 'Kept by masync' }, ctx);
  }

  createAttribute(objectTypeId: string, def: AttributeDefinition, ctx: RunContext): Promise<TypeAttribute> {
    return this.post(typeAttribute, `objecttypeattribute/${encodeURIComponent(objectTypeId)}`, def, ctx);
  }

  private async get<S extends z.ZodType>(schema: S, path: string, ctx: RunContext, query?: Record<string, string | number>): Promise<z.output<S>> {
    const res = await this.transport.assets({ method: 'GET', path, query }, ctx);
    return parseWire(schema, res.data, { connector: this.connector, what: `GET ${path}` });
  }

  private async post<S extends z.ZodType>(schema: S, path: string, body: unknown, ctx: RunContext): Promise<z.output<S>> {
    const res = await this.transport.assets({ method: 'POST', path, body }, ctx);
    return parseWire(schema, res.data, { connector: this.connector, what: `POST ${path}` });
  }
}
