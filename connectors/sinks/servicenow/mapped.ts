import { ConfigError } from '../../../src/errors';
import type { Mapping } from '../../../src/mapping/schema';

/** What a mapping asks of an instance: classes, the fields written on each, relationship types. */
export interface MappedShape {
  identityField: string;
  /** Class → field → longest maxLength any kind on that class allows (for the doctor's hints). */
  classes: Map<string, Map<string, number | undefined>>;
  retiredFields: Record<string, string>;
  relationTypes: string[];
  /** Tables and match fields of lookups, e.g. sys_user by user_name. */
  lookupTables: string[];
}

// Table names go into URLs and queries; ServiceNow's own are lower-case words joined by "_".
const TABLE_NAME = /^[a-z][a-z0-9_]{0,79}$/;

export function mappedShape(mapping: Mapping, file = 'mapping'): MappedShape {
  const classes = new Map<string, Map<string, number | undefined>>();
  const relationTypes = new Set<string>();
  const lookupTables = new Set<string>();
  for (const [kind, km] of Object.entries(mapping.kinds)) {
    if (!km) continue;
    if (!TABLE_NAME.test(km.class)) throw new ConfigError(`${file}: kinds.${kind}.class: "${km.class}" is not a ServiceNow table name`, { file });
    const fields = classes.get(km.class) ?? new Map<string, number | undefined>();
    for (const [field, spec] of Object.entries(km.fields)) {
      const prev = fields.get(field);
      fields.set(field, spec.maxLength === undefined ? prev : Math.max(prev ?? 0, spec.maxLength));
      if (!spec.lookup) continue;
      if (!TABLE_NAME.test(spec.lookup.table)) throw new ConfigError(`${file}: kinds.${kind}.fields.${field}.lookup.table: "${spec.lookup.table}" is not a ServiceNow table name`, { file });
      lookupTables.add(spec.lookup.table);
    }
    classes.set(km.class, fields);
    for (const rel of km.relations) relationTypes.add(rel.type);
  }
  return { identityField: mapping.identity, classes, retiredFields: { ...mapping.retired }, relationTypes: [...relationTypes], lookupTables: [...lookupTables] };
}

/** Values a managed record carries back: identity, ownership, every mapped and retirement field. */
export function recordFields(shape: MappedShape, cls: string, ownership: readonly string[]): string[] {
  const fields = new Set([shape.identityField, ...ownership]);
  for (const f of shape.classes.get(cls)?.keys() ?? []) fields.add(f);
  for (const f of Object.keys(shape.retiredFields)) fields.add(f);
  return [...fields];
}
