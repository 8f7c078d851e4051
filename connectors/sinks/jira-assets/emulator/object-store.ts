import type { CatalogStore } from './catalog-store';
import { IdSource } from './catalog-store';
import { badRequest, notFound } from './errors';
import type { AttributeInput, EmuAttr, EmuObject } from './model';
import { storedValue, type ValueLookups } from './values';

/**
 * Objects, with the indexes AQL needs to stay fast at tens of thousands of
 * them: by type, by key, and by (attribute, value) for every stored value.
 * Writes are checked as Assets checks them and fail with a 400 naming the
 * attribute. `version` moves on every change, so a query result can be kept
 * while nothing changes and paged through without evaluating it again.
 */
export class ObjectStore {
  readonly objects = new Map<string, EmuObject>();
  version = 0;
  private readonly byType = new Map<string, Set<string>>();
  private readonly byKey = new Map<string, string>();
  private readonly byValue = new Map<string, Map<string, Set<string>>>();
  private readonly ids = new IdSource();

  constructor(
    private readonly catalog: CatalogStore,
    private readonly lookups: Pick<ValueLookups, 'userExists'>,
    private readonly now: () => number,
  ) {}

  create(typeId: string, inputs: AttributeInput[]): EmuObject {
    const type = this.catalog.types.get(typeId);
    if (!type) throw badRequest(`Object type ${typeId} does not exist`, 'objectTypeId');
    const values = this.checked(typeId, inputs, undefined);
    for (const attr of this.catalog.attrsOf(typeId)) {
      if (!attr.system && attr.min > 0 && (values.get(attr.id) ?? []).length < attr.min) throw badRequest(`${attr.name}: a value is required`, attr.id);
    }
    const schema = this.catalog.schema(type.schemaId);
    const t = this.now();
    const obj: EmuObject = { id: this.ids.take(), typeId, key: `${schema.key}-${schema.nextSeq++}`, created: t, updated: t, values: new Map() };
    this.objects.set(obj.id, obj);
    this.index(this.byType, typeId, obj.id);
    this.byKey.set(obj.key.toLowerCase(), obj.id);
    for (const [attrId, vals] of values) this.put(obj, attrId, vals);
    this.version++;
    return obj;
  }

  /** Only the attributes given change; `Updated` moves only when a value did. */
  update(id: string, typeId: string | undefined, inputs: AttributeInput[]): EmuObject {
    const obj = this.get(id);
    if (typeId !== undefined && typeId !== obj.typeId) throw badRequest(`Object ${obj.key} is not of object type ${typeId}`, 'objectTypeId');
    const values = this.checked(obj.typeId, inputs, obj.id);
    let changed = false;
    for (const [attrId, vals] of values) {
      const before = obj.values.get(attrId) ?? [];
      if (before.length === vals.length && before.every((v, i) => v === vals[i])) continue;
      this.put(obj, attrId, vals);
      changed = true;
    }
    if (changed) {
      obj.updated = Math.max(this.now(), obj.updated + 1);
      this.version++;
    }
    return obj;
  }

  delete(id: string): void {
    const obj = this.get(id);
    for (const attrId of [...obj.values.keys()]) this.put(obj, attrId, []);
    this.byType.get(obj.typeId)?.delete(id);
    this.byKey.delete(obj.key.toLowerCase());
    this.objects.delete(id);
    for (const other of this.objects.values()) {
      for (const [attrId, vals] of other.values) if (vals.includes(id)) this.put(other, attrId, vals.filter((v) => v !== id));
    }
    this.version++;
  }

  get(id: string): EmuObject {
    const obj = this.objects.get(id);
    if (!obj) throw notFound(`Object ${id}`);
    return obj;
  }

  idOfKey(key: string): string | undefined {
    return this.byKey.get(key.toLowerCase());
  }

  ofType(typeId: string): ReadonlySet<string> {
    return this.byType.get(typeId) ?? new Set();
  }

  /** Objects holding `value` (any case) in attribute `attrId`. */
  withValue(attrId: string, value: string): ReadonlySet<string> {
    return this.byValue.get(attrId)?.get(value.toLowerCase()) ?? new Set();
  }

  private checked(typeId: string, inputs: AttributeInput[], selfId: string | undefined): Map<string, string[]> {
    const lookups: ValueLookups = {
      userExists: (u) => this.lookups.userExists(u),
      objectOfType: (key, target) => {
        const id = this.idOfKey(key);
        return id !== undefined && this.objects.get(id)?.typeId === target ? id : undefined;
      },
    };
    const out = new Map<string, string[]>();
    for (const input of inputs) {
      const attr = this.catalog.attrs.get(input.objectTypeAttributeId);
      if (!attr || attr.typeId !== typeId) throw badRequest(`No attribute with id ${input.objectTypeAttributeId} on this object type`, input.objectTypeAttributeId);
      if (attr.system) throw badRequest(`${attr.name} is set by Assets and cannot be written`, attr.id);
      const vals = input.values.map((v) => storedValue(attr, v, lookups));
      if (attr.max >= 0 && vals.length > attr.max) throw badRequest(`${attr.name}: at most ${attr.max} value(s) allowed, ${vals.length} given`, attr.id);
      if (!selfId || vals.length > 0) this.checkUnique(attr, vals, selfId);
      out.set(attr.id, vals);
    }
    return out;
  }

  private checkUnique(attr: EmuAttr, vals: string[], selfId: string | undefined): void {
    if (!attr.unique) return;
    for (const v of vals) {
      const holders = [...this.withValue(attr.id, v)].filter((id) => id !== selfId);
      if (holders.length > 0) throw badRequest(`${attr.name}: the value ${v} must be unique, and object ${this.objects.get(holders[0] as string)?.key} has it`, attr.id);
    }
  }

  private put(obj: EmuObject, attrId: string, vals: string[]): void {
    const idx = this.byValue.get(attrId) ?? new Map<string, Set<string>>();
    this.byValue.set(attrId, idx);
    for (const v of obj.values.get(attrId) ?? []) idx.get(v.toLowerCase())?.delete(obj.id);
    for (const v of vals) this.index(idx, v.toLowerCase(), obj.id);
    if (vals.length > 0) obj.values.set(attrId, [...vals]);
    else obj.values.delete(attrId);
  }

  private index(map: Map<string, Set<string>>, key: string, id: string): void {
    const set = map.get(key) ?? new Set<string>();
    set.add(id);
    map.set(key, set);
  }
}
