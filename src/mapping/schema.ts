import { z } from 'zod';

/**
 * A sink mapping file (mappings/*.yaml): which class each item kind becomes,
 * how each field is computed from the item, and how records relate.
 */

const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'a field name (letters, digits, _ and .)');

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
  /** Item field that holds the key of the other end (`versionOf`, `servesVersionKey`). */
  to: z.string().min(1),
  /** The sink's relationship type name, e.g. "Contains::Contained by". */
  type: z.string().min(1),
  /** Which end this record is. */
  role: z.enum(['parent', 'child']),
});

export const kindMappingSchema = z.strictObject({
  class: z.string().min(1),
  fields: z.record(fieldName, fieldSpecSchema),
  relations: z.array(relationSpecSchema).default([]),
});

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
export type KindMapping = z.infer<typeof kindMappingSchema>;
export type Mapping = z.infer<typeof mappingSchema>;
export type Lookup = z.infer<typeof lookupSchema>;
