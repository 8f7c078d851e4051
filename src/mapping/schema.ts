import { z } from 'zod';

/**
 * A sink mapping file (mappings/*.yaml): which class each item kind becomes,
 * how each field is computed from the item, and how records relate.
 */

// Sinks name fields differently (ServiceNow columns `u_ml_stage`, Jira attributes `External key`); each sink checks its own rules.
const fieldName = z.string().regex(/^[^\x00-\x1f"{}]{1,255}$/, 'a field or attribute name (no quotes, braces or control characters)');

export const lookupSchema = z.strictObject({
  /** Table or object type to search, e.g. sys_user. */
  table: z.string().min(1),
  /** Fields to try in order, e.g. [user_name, email]. */
  match: z.array(fieldName).min(1),
});

export const fieldSpecSchema = z
  .strictObject({
    /** Dot path into the item: `name`, `tags.team`, `metrics.auc`. */
    from: z.string().min(1).optional(),
    /** A constant. */
    value: z.string().optional(),
    /** Text with `{path}` placeholders: `{name} v{version}`. */
    template: z.string().optional(),
    /** For a `from` list of objects: each element as this template (`{type}: {detail}`), joined with "; ". */
    each: z.string().min(1).optional(),
    /** How non-string values become text; `auto` writes JSON for objects and arrays. */
    format: z.enum(['auto', 'json', 'join', 'pairs']).default('auto'),
    /** Used when the item has no value (or an empty one). */
    default: z.string().optional(),
    /** Cut to this many characters so the sink stores exactly what masync compares. */
    maxLength: z.number().int().positive().optional(),
    /** `sink`: a person may curate this field; masync reports their edits as drift and leaves them. */
    authority: z.enum(['source', 'sink']).default('source'),
    /** Resolve the value to a record id in the sink (e.g. a user name to a sys_user id). */
    lookup: lookupSchema.optional(),
  })
  .refine((f) => [f.from, f.value, f.template].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of from, value or template',
  });

export const relationSpecSchema = z.strictObject({
  /** Item field that holds the key (or keys) of the other end (`versionOf`, `serves`). */
  to: z.string().min(1),
  /**
   * The relation as the sink names it: a cmdb_rel_type ("Contains::Contained by") where
   * relations are rows, the reference attribute on this record ("Model") where they are references.
   */
  type: z.string().min(1),
  /** Which end this record is. */
  role: z.enum(['parent', 'child']),
});

/**
 * One kind's target: ServiceNow speaks of a `class` and its `fields`, Jira
 * Assets of an `objectType` and its `attributes`. Both spellings are
 * accepted and mean the same; the loaded mapping always says class/fields.
 */
export const kindMappingSchema = z
  .strictObject({
    class: z.string().min(1).optional(),
    objectType: z.string().min(1).optional(),
    fields: z.record(fieldName, fieldSpecSchema).optional(),
    attributes: z.record(fieldName, fieldSpecSchema).optional(),
    relations: z.array(relationSpecSchema).default([]),
  })
  .superRefine((k, ctx) => {
    if ((k.class === undefined) === (k.objectType === undefined)) ctx.addIssue({ code: 'custom', message: 'exactly one of class or objectType' });
    if ((k.fields === undefined) === (k.attributes === undefined)) ctx.addIssue({ code: 'custom', message: 'exactly one of fields or attributes' });
  })
  .transform((k) => ({ class: k.class ?? k.objectType ?? '', fields: k.fields ?? k.attributes ?? {}, relations: k.relations }));

export const mappingSchema = z.strictObject({
  version: z.literal(1),
  description: z.string().optional(),
  /** The field that holds the item key (or, for long or unusual keys, its hash). */
  identity: fieldName,
  /** Field values a retirement writes; a record that carries all of them is retired. */
  retired: z.record(fieldName, z.string()).refine((r) => Object.keys(r).length > 0, 'at least one field'),
  kinds: z.strictObject({
    model: kindMappingSchema.optional(),
    model_version: kindMappingSchema.optional(),
    deployment: kindMappingSchema.optional(),
  }),
});

export type FieldSpec = z.infer<typeof fieldSpecSchema>;
export type KindMapping = z.output<typeof kindMappingSchema>;
export type Mapping = z.output<typeof mappingSchema>;
export type Lookup = z.infer<typeof lookupSchema>;
