import { z } from 'zod';
import { deploymentSchema, modelSchema, modelVersionSchema, type ItemKind } from '../../../src/inventory';

/** A field of an inventory item as JSON Schema describes it (type, format), for choosing attribute types. */
export interface FieldShape {
  type?: string;
  format?: string;
}

type JsonNode = { type?: string; format?: string; properties?: Record<string, JsonNode>; additionalProperties?: JsonNode | boolean; anyOf?: JsonNode[] };

const SCHEMAS: Record<ItemKind, z.ZodType> = { model: modelSchema, model_version: modelVersionSchema, deployment: deploymentSchema };
const json = new Map<ItemKind, JsonNode>();

/**
 * The shape of `path` (`instanceCount`, `cost.monthly`, `tags.team`) on items
 * of `kind`, read from the inventory's own zod schemas, so a new typed field
 * gets the right attribute type without a table to keep in step. Undefined
 * when the path is not a field of that kind.
 */
export function fieldShape(kind: ItemKind, path: string): FieldShape | undefined {
  let node: JsonNode | undefined = schemaOf(kind);
  for (let rest = path; rest !== ''; ) {
    node = unwrap(node);
    // The whole remaining path first: map keys may hold dots (`tags.mlflow.user`), as the evaluator reads them.
    const own = node.properties?.[rest];
    if (own) return shapeOf(own);
    const values = mapValue(node);
    if (values) return shapeOf(values);
    const dot = rest.indexOf('.');
    node = dot < 0 ? undefined : node.properties?.[rest.slice(0, dot)];
    if (!node) return undefined;
    rest = rest.slice(dot + 1);
  }
  return shapeOf(node);
}

function schemaOf(kind: ItemKind): JsonNode {
  let node = json.get(kind);
  if (!node) json.set(kind, (node = z.toJSONSchema(SCHEMAS[kind], { io: 'input', unrepresentable: 'any' }) as JsonNode));
  return node;
}

function unwrap(node: JsonNode): JsonNode {
  return node.anyOf?.find((n) => n.type !== 'null') ?? node;
}

function mapValue(node: JsonNode): JsonNode | undefined {
  return typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
}

function shapeOf(node: JsonNode): FieldShape {
  const n = unwrap(node);
  return { ...(n.type ? { type: n.type } : {}), ...(n.format ? { format: n.format } : {}) };
}
