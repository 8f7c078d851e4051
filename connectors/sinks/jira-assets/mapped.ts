import { ConfigError } from '../../../src/errors';
import type { ItemKind } from '../../../src/inventory';
import type { FieldSpec, Mapping } from '../../../src/mapping/schema';
import { fieldShape } from './item-fields';

/** The attribute on every object masync owns, holding `managedBy`. */
export const OWNERSHIP_ATTRIBUTE = 'Managed by';

/** Attributes Assets keeps itself; a mapping may not write them. */
const SYSTEM_ATTRIBUTES = new Set(['key', 'created', 'updated']);

/** A reference attribute a type holds, from one of the mapping's relations. */
export interface MappedReference {
  attribute: string;
  /** Which end of the relation the holder is. */
  role: 'parent' | 'child';
  /** Object type of the records it points at. */
  targetType: string;
  /** The item field holds several keys (a deployment serving several versions). */
  several: boolean;
}

export interface MappedType {
  name: string;
  kinds: ItemKind[];
  /** Attribute → the field specs writing it (one per kind mapped onto this type), with the kind. */
  attributes: Map<string, Array<{ kind: ItemKind; spec: FieldSpec }>>;
  references: Map<string, MappedReference>;
}

/** What a mapping asks of an Assets schema. */
export interface MappedShape {
  identity: string;
  ownership: string;
  retired: Record<string, string>;
  types: Map<string, MappedType>;
  typeOfKind: Map<ItemKind, string>;
}

/** Kind of the item a relation's `to` field names (inventory fields that hold another item's key). */
const TARGET_KIND: Record<string, ItemKind> = { versionOf: 'model', servesVersionKey: 'model_version', serves: 'model_version' };

export function mappedShape(mapping: Mapping, file = 'jira-assets mapping'): MappedShape {
  const types = new Map<string, MappedType>();
  const typeOfKind = new Map<ItemKind, string>();
  const fail = (path: string, message: string) => new ConfigError(`${file}: ${path}: ${message}`, { file });
  for (const [kind, km] of Object.entries(mapping.kinds) as Array<[ItemKind, Mapping['kinds'][ItemKind]]>) {
    if (!km) continue;
    typeOfKind.set(kind, km.class);
    const t: MappedType = types.get(km.class) ?? { name: km.class, kinds: [], attributes: new Map(), references: new Map() };
    t.kinds.push(kind);
    for (const [attr, spec] of Object.entries(km.fields)) {
      if (SYSTEM_ATTRIBUTES.has(attr.toLowerCase())) throw fail(`kinds.${kind}.attributes.${attr}`, 'Assets keeps this attribute itself; masync cannot write it');
      if (spec.lookup && (spec.lookup.table !== 'users' || spec.lookup.match.some((m) => m !== 'email' && m !== 'username'))) {
        throw fail(`kinds.${kind}.attributes.${attr}.lookup`, 'Jira Assets looks up only users: { table: users, match: [email, username] }');
      }
      t.attributes.set(attr, [...(t.attributes.get(attr) ?? []), { kind, spec }]);
    }
    types.set(km.class, t);
  }
  for (const [kind, km] of Object.entries(mapping.kinds) as Array<[ItemKind, Mapping['kinds'][ItemKind]]>) {
    for (const [i, rel] of (km?.relations ?? []).entries()) {
      const where = `kinds.${kind}.relations[${i}]`;
      const target = TARGET_KIND[rel.to];
      if (!target) throw fail(`${where}.to`, `masync knows which kind ${Object.keys(TARGET_KIND).join(', ')} point at, not "${rel.to}"`);
      const targetType = typeOfKind.get(target);
      if (!targetType) throw fail(`${where}.to`, `${rel.to} points at ${target} items, which this mapping does not map`);
      const holder = types.get(km?.class ?? '') as MappedType;
      if (holder.attributes.has(rel.type)) throw fail(`${where}.type`, `"${rel.type}" is also a mapped attribute; a reference attribute holds the relation alone`);
      holder.references.set(rel.type, { attribute: rel.type, role: rel.role, targetType, several: fieldShape(kind, rel.to)?.type === 'array' });
    }
  }
  return { identity: mapping.identity, ownership: OWNERSHIP_ATTRIBUTE, retired: { ...mapping.retired }, types, typeOfKind };
}
