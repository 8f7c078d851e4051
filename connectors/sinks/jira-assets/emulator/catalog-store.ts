import { badRequest, notFound } from './errors';
import type { EmuAttr, EmuIcon, EmuReferenceType, EmuSchema, EmuType } from './model';

// Each id source starts in a range of its own, from a random first one: ids differ between emulators and between runs.
let nextBase = 1000 + Math.floor(Math.random() * 9000);

/** Ids count up from a start no other source in this process shares, so a test that hard-codes one fails. */
export class IdSource {
  private next: number;
  constructor() {
    this.next = nextBase;
    nextBase += 100_000;
  }
  take(): string {
    return String(this.next++);
  }
}

export interface AttributeSpec {
  name: string;
  type: number;
  defaultTypeId?: number;
  options?: string[];
  referenceObjectTypeId?: string;
  referenceTypeId?: string;
  min?: number;
  max?: number;
  unique?: boolean;
}

const SCHEMA_KEY = /^[A-Z][A-Z0-9]{1,9}$/;

/**
 * Object schemas, object types and their attributes. A new type gets what
 * Assets gives every type: Key, Name (the label), Created and Updated.
 */
export class CatalogStore {
  readonly schemas = new Map<string, EmuSchema>();
  readonly types = new Map<string, EmuType>();
  readonly attrs = new Map<string, EmuAttr>();
  readonly icons: EmuIcon[] = [
    { id: '1', name: 'Server' },
    { id: '2', name: 'Software' },
    { id: '3', name: 'Cloud' },
  ];
  readonly referenceTypes: EmuReferenceType[] = [
    { id: '1', name: 'Dependency' },
    { id: '2', name: 'Reference' },
    { id: '3', name: 'Installed' },
  ];
  private readonly ids = new IdSource();
  private readonly attrsByType = new Map<string, EmuAttr[]>();

  createSchema(name: string, key: string): EmuSchema {
    if (!name.trim()) throw badRequest('The name must be set', 'name');
    if (!SCHEMA_KEY.test(key)) throw badRequest('The key must be 2-10 uppercase letters or digits, starting with a letter', 'objectSchemaKey');
    for (const s of this.schemas.values()) {
      if (s.name.toLowerCase() === name.toLowerCase()) throw badRequest(`An object schema named ${name} already exists`, 'name');
      if (s.key === key) throw badRequest(`An object schema with key ${key} already exists`, 'objectSchemaKey');
    }
    const schema = { id: this.ids.take(), name, key, nextSeq: 1 };
    this.schemas.set(schema.id, schema);
    return schema;
  }

  createType(schemaId: string, name: string, iconId: string): EmuType {
    if (!this.schemas.has(schemaId)) throw badRequest(`Object schema ${schemaId} does not exist`, 'objectSchemaId');
    if (!this.icons.some((i) => i.id === iconId)) throw badRequest(`Icon ${iconId} does not exist`, 'iconId');
    if (!name.trim()) throw badRequest('The name must be set', 'name');
    if (this.typesOf(schemaId).some((t) => t.name.toLowerCase() === name.toLowerCase())) throw badRequest(`An object type named ${name} already exists in this schema`, 'name');
    const type = { id: this.ids.take(), schemaId, name, iconId };
    this.types.set(type.id, type);
    this.addAttr(type.id, { name: 'Key', type: 0, defaultTypeId: 0 }, { system: true });
    this.addAttr(type.id, { name: 'Name', type: 0, defaultTypeId: 0, min: 1, max: 1 }, { label: true });
    this.addAttr(type.id, { name: 'Created', type: 0, defaultTypeId: 6 }, { system: true });
    this.addAttr(type.id, { name: 'Updated', type: 0, defaultTypeId: 6 }, { system: true });
    return type;
  }

  createAttr(typeId: string, spec: AttributeSpec): EmuAttr {
    const type = this.type(typeId);
    if (!spec.name.trim()) throw badRequest('The name must be set', 'name');
    if (this.attrsOf(typeId).some((a) => a.name.toLowerCase() === spec.name.toLowerCase())) throw badRequest(`An attribute named ${spec.name} already exists on ${type.name}`, 'name');
    if (![0, 1, 2, 7].includes(spec.type)) throw badRequest(`Attribute type ${spec.type} is not supported`, 'type');
    if (spec.type === 0 && (spec.defaultTypeId === undefined || spec.defaultTypeId < 0 || spec.defaultTypeId > 11)) throw badRequest('A default type must be chosen', 'defaultTypeId');
    if (spec.type === 0 && spec.defaultTypeId === 10 && (spec.options ?? []).length === 0) throw badRequest('A select attribute needs options', 'options');
    if (spec.type === 1) {
      const target = this.types.get(spec.referenceObjectTypeId ?? '');
      if (!target || target.schemaId !== type.schemaId) throw badRequest('The referenced object type must be set and in the same schema', 'typeValue');
      if (!this.referenceTypes.some((r) => r.id === spec.referenceTypeId)) throw badRequest('The reference type must be set', 'additionalValue');
    }
    return this.addAttr(typeId, spec, {});
  }

  /** An admin deleting an attribute; values objects held for it are no longer shown. */
  deleteAttr(id: string): void {
    const attr = this.attrs.get(id);
    if (!attr) throw notFound(`Attribute ${id}`);
    this.attrs.delete(id);
    this.attrsByType.delete(attr.typeId);
  }

  type(id: string): EmuType {
    const t = this.types.get(id);
    if (!t) throw notFound(`Object type ${id}`);
    return t;
  }

  schema(id: string): EmuSchema {
    const s = this.schemas.get(id);
    if (!s) throw notFound(`Object schema ${id}`);
    return s;
  }

  typesOf(schemaId: string): EmuType[] {
    return [...this.types.values()].filter((t) => t.schemaId === schemaId);
  }

  attrsOf(typeId: string): EmuAttr[] {
    let list = this.attrsByType.get(typeId);
    if (!list) this.attrsByType.set(typeId, (list = [...this.attrs.values()].filter((a) => a.typeId === typeId).sort((a, b) => a.position - b.position)));
    return list;
  }

  /** The type's attribute with this name, compared as Assets compares names: without regard to case. */
  attrNamed(typeId: string, name: string): EmuAttr | undefined {
    return this.attrsOf(typeId).find((a) => a.name.toLowerCase() === name.toLowerCase());
  }

  private addAttr(typeId: string, spec: AttributeSpec, flags: { system?: boolean; label?: boolean }): EmuAttr {
    const attr: EmuAttr = {
      id: this.ids.take(),
      typeId,
      name: spec.name,
      type: spec.type,
      defaultTypeId: spec.type === 0 ? (spec.defaultTypeId ?? 0) : -1,
      options: spec.options ?? [],
      ...(spec.referenceObjectTypeId ? { referenceObjectTypeId: spec.referenceObjectTypeId } : {}),
      ...(spec.referenceTypeId ? { referenceTypeId: spec.referenceTypeId } : {}),
      min: spec.min ?? 0,
      max: spec.max ?? 1,
      unique: spec.unique ?? false,
      label: flags.label ?? false,
      system: flags.system ?? false,
      position: this.attrsOf(typeId).length,
    };
    this.attrs.set(attr.id, attr);
    this.attrsByType.delete(typeId);
    return attr;
  }
}
