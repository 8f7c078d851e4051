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
  /** Class → fields whose value names a record of another table (owned_by → sys_user). */
  lookupFields: Map<string, Set<string>>;
}

// Table and column names go into URLs, sysparm_fields and encoded queries; ServiceNow's own are lower-case words joined by "_".
const TABLE_NAME = /^[a-z][a-z0-9_]{0,79}$/;
const COLUMN_NAME = /^[a-z][a-z0-9_]{0,79}$/;
const COLUMN_RULE = 'is not a ServiceNow column name (lower-case letters, digits and "_", starting with a letter, at most 80)';

/**
 * The mapping schema lets any sink name its fields (Jira attribute names hold
 * spaces); a ServiceNow mapping must name tables and columns, because those
 * names are put into URLs and queries as they are.
 */
export function mappedShape(mapping: Mapping, file = 'mapping'): MappedShape {
  const column = (name: string, path: string) => {
    if (!COLUMN_NAME.test(name)) throw new ConfigError(`${file}: ${path}: "${name}" ${COLUMN_RULE}`, { file, path });
  };
  const table = (name: string, path: string) => {
    if (!TABLE_NAME.test(name)) throw new ConfigError(`${file}: ${path}: "${name}" is not a ServiceNow table name`, { file, path });
  };
  column(mapping.identity, 'identity');
  for (const field of Object.keys(mapping.retired)) column(field, `retired.${field}`);
  const classes = new Map<string, Map<string, number | undefined>>();
  const relationTypes = new Set<string>();
  const lookupTables = new Set<string>();
  const lookupFields = new Map<string, Set<string>>();
  for (const [kind, km] of Object.entries(mapping.kinds)) {
    if (!km) continue;
    table(km.class, `kinds.${kind}.class`);
    const fields = classes.get(km.class) ?? new Map<string, number | undefined>();
    for (const [field, spec] of Object.entries(km.fields)) {
      const path = `kinds.${kind}.fields[${JSON.stringify(field)}]`;
      column(field, path);
      const prev = fields.get(field);
      fields.set(field, spec.maxLength === undefined ? prev : Math.max(prev ?? 0, spec.maxLength));
      if (!spec.lookup) continue;
      table(spec.lookup.table, `${path}.lookup.table`);
      spec.lookup.match.forEach((m, i) => column(m, `${path}.lookup.match[${i}]`));
      lookupTables.add(spec.lookup.table);
      lookupFields.set(km.class, (lookupFields.get(km.class) ?? new Set()).add(field));
    }
    classes.set(km.class, fields);
    for (const rel of km.relations) relationTypes.add(rel.type);
  }
  return { identityField: mapping.identity, classes, retiredFields: { ...mapping.retired }, relationTypes: [...relationTypes], lookupTables: [...lookupTables], lookupFields };
}

/** Values a managed record carries back: identity, ownership, every mapped and retirement field. */
export function recordFields(shape: MappedShape, cls: string, ownership: readonly string[]): string[] {
  const fields = new Set([shape.identityField, ...ownership]);
  for (const f of shape.classes.get(cls)?.keys() ?? []) fields.add(f);
  for (const f of Object.keys(shape.retiredFields)) fields.add(f);
  return [...fields];
}
