import { z } from 'zod';

/*
 * Assets wire shapes, as both deployments send them: Cloud gives ids as
 * strings ("42"), Data Center as numbers (42); both become strings here.
 * Only what masync relies on is required; unknown keys are ignored.
 */
const id = z.union([z.string().min(1), z.number().int().nonnegative().transform(String)]);

const referencedObject = z.object({ id, objectKey: z.string().min(1), label: z.string().optional() });

const user = z.object({
  accountId: z.string().optional(),
  key: z.string().optional(),
  name: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().nullish(),
});

const attributeValue = z.object({
  value: z.string().nullish(),
  displayValue: z.string().nullish(),
  searchValue: z.string().nullish(),
  referencedObject: referencedObject.optional(),
  user: user.optional(),
  status: z.object({ name: z.string() }).optional(),
});

const objectAttribute = z.object({
  objectTypeAttributeId: id,
  objectAttributeValues: z.array(attributeValue).default([]),
});

export const assetObject = z.object({
  id,
  objectKey: z.string().min(1),
  label: z.string().default(''),
  objectType: z.object({ id, name: z.string().optional() }),
  created: z.string().optional(),
  updated: z.string().optional(),
  attributes: z.array(objectAttribute).default([]),
});

/** Cloud `POST object/aql`: page by `startAt`, stop on `isLast`. */
export const cloudAqlPage = z.object({
  values: z.array(assetObject),
  isLast: z.boolean(),
});

/** Data Center `GET aql/objects`: page numbers from 1; `pageSize` is the number of pages. */
export const dcAqlPage = z.object({
  objectEntries: z.array(assetObject),
  pageNumber: z.number().int().optional(),
  pageSize: z.number().int().optional(),
});

export const objectSchema = z.object({ id, name: z.string(), objectSchemaKey: z.string() });
export const cloudSchemaList = z.object({ values: z.array(objectSchema), isLast: z.boolean().default(true) });
export const dcSchemaList = z.object({ objectschemas: z.array(objectSchema) });

export const objectType = z.object({ id, name: z.string(), objectSchemaId: id.optional() });

export const typeAttribute = z.object({
  id,
  name: z.string(),
  label: z.boolean().default(false),
  /** 0 default, 1 object reference, 2 user, 4 group, 7 status. */
  type: z.number().int(),
  defaultType: z.object({ id: z.number().int(), name: z.string().optional() }).optional(),
  referenceObjectTypeId: id.optional(),
  referenceType: z.object({ id, name: z.string().optional() }).optional(),
  minimumCardinality: z.number().int().optional(),
  maximumCardinality: z.number().int().optional(),
  uniqueAttribute: z.boolean().optional(),
  editable: z.boolean().optional(),
  system: z.boolean().optional(),
  options: z.string().optional(),
});

export const icon = z.object({ id, name: z.string() });
export const referenceType = z.object({ id, name: z.string() });

export const workspaces = z.object({ values: z.array(z.object({ workspaceId: z.string().min(1) })) });

export const jiraUser = z.object({
  accountId: z.string().optional(),
  accountType: z.string().optional(),
  key: z.string().optional(),
  name: z.string().optional(),
  displayName: z.string().default(''),
  emailAddress: z.string().nullish(),
  active: z.boolean().default(true),
});

export type AssetObject = z.output<typeof assetObject>;
export type AttributeValue = z.output<typeof attributeValue>;
export type ObjectSchema = z.output<typeof objectSchema>;
export type ObjectType = z.output<typeof objectType>;
export type TypeAttribute = z.output<typeof typeAttribute>;
export type JiraUser = z.output<typeof jiraUser>;

/** Attribute types as Assets numbers them. */
export const ATTR = { default: 0, reference: 1, user: 2, group: 4, status: 7 } as const;

/** Default-type ids (attribute type 0). */
export const DEFAULT_TYPE = { text: 0, integer: 1, boolean: 2, double: 3, date: 4, time: 5, datetime: 6, url: 7, email: 8, textarea: 9, select: 10, ip: 11 } as const;

/** `{errorMessages, errors}` (Jira and Assets), or a gateway's `{message}`, as one line. */
export function assetsErrorMessage(data: unknown): string | undefined {
  const parsed = z
    .union([
      z.object({ message: z.string() }),
      z.object({ errorMessages: z.array(z.string()).default([]), errors: z.record(z.string(), z.unknown()).default({}) }),
    ])
    .safeParse(data);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  if ('message' in d) return d.message || undefined;
  const parts = [...d.errorMessages, ...Object.entries(d.errors).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)];
  return parts.filter((p) => p !== '').join('; ') || undefined;
}
