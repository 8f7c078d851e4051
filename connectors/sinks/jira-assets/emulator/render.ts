import { labelOf } from './aql-eval';
import type { CatalogStore } from './catalog-store';
import type { EmuAttr, EmuObject, EmuSchema, EmuType, EmuUser } from './model';
import type { ObjectStore } from './object-store';
import { displayedValue } from './values';

export interface RenderEnv {
  cloud: boolean;
  workspaceId: string;
  catalog: CatalogStore;
  objects: ObjectStore;
  user(id: string): EmuUser | undefined;
}

const DEFAULT_TYPE_NAMES = ['Text', 'Integer', 'Boolean', 'Double', 'Date', 'Time', 'DateTime', 'URL', 'Email', 'Textarea', 'Select', 'IP Address'];

/** Cloud sends ids as strings, Data Center as numbers. */
function id(env: RenderEnv, value: string): string | number {
  return env.cloud ? value : Number(value);
}

/** Cloud objects carry the workspace and a global id. */
function cloudIds(env: RenderEnv, value: string): Record<string, string> {
  return env.cloud ? { workspaceId: env.workspaceId, globalId: `${env.workspaceId}:${value}` } : {};
}

export function renderSchema(env: RenderEnv, s: EmuSchema): unknown {
  const types = env.catalog.typesOf(s.id);
  const objectCount = types.reduce((n, t) => n + env.objects.ofType(t.id).size, 0);
  return { ...cloudIds(env, s.id), id: id(env, s.id), name: s.name, objectSchemaKey: s.key, status: 'Ok', objectCount, objectTypeCount: types.length };
}

export function renderType(env: RenderEnv, t: EmuType): unknown {
  return {
    ...cloudIds(env, t.id),
    id: id(env, t.id),
    name: t.name,
    icon: { id: id(env, t.iconId), name: env.catalog.icons.find((i) => i.id === t.iconId)?.name ?? '' },
    objectSchemaId: id(env, t.schemaId),
    objectCount: env.objects.ofType(t.id).size,
    inherited: false,
    abstractObjectType: false,
  };
}

export function renderAttribute(env: RenderEnv, a: EmuAttr): unknown {
  const type = env.catalog.types.get(a.typeId) as EmuType;
  const target = a.referenceObjectTypeId ? env.catalog.types.get(a.referenceObjectTypeId) : undefined;
  const refType = env.catalog.referenceTypes.find((r) => r.id === a.referenceTypeId);
  return {
    ...cloudIds(env, a.id),
    id: id(env, a.id),
    objectType: { id: id(env, type.id), name: type.name },
    name: a.name,
    label: a.label,
    type: a.type,
    ...(a.type === 0 ? { defaultType: { id: a.defaultTypeId, name: DEFAULT_TYPE_NAMES[a.defaultTypeId] ?? 'Text' } } : {}),
    ...(target ? { typeValue: target.id, referenceObjectTypeId: id(env, target.id), referenceObjectType: { id: id(env, target.id), name: target.name } } : {}),
    ...(refType ? { additionalValue: refType.id, referenceType: { id: id(env, refType.id), name: refType.name } } : {}),
    editable: !a.system,
    system: a.system,
    indexed: true,
    minimumCardinality: a.min,
    maximumCardinality: a.max,
    uniqueAttribute: a.unique,
    hidden: false,
    ...(a.options.length > 0 ? { options: a.options.join(',') } : {}),
    position: a.position,
  };
}

export function renderObject(env: RenderEnv, o: EmuObject): Record<string, unknown> {
  const type = env.catalog.types.get(o.typeId) as EmuType;
  const attributes = env.catalog.attrsOf(o.typeId).flatMap((a) => {
    const values = systemValues(a, o) ?? (o.values.get(a.id) ?? []).map((v) => renderValue(env, a, v));
    return values.length > 0 ? [{ ...cloudIds(env, `${o.id}:${a.id}`), objectTypeAttributeId: id(env, a.id), objectAttributeValues: values }] : [];
  });
  return {
    ...cloudIds(env, o.id),
    id: id(env, o.id),
    label: labelOf(o, env),
    objectKey: o.key,
    objectType: { id: id(env, type.id), name: type.name, objectSchemaId: id(env, type.schemaId) },
    created: new Date(o.created).toISOString(),
    updated: new Date(o.updated).toISOString(),
    hasAvatar: false,
    timestamp: o.updated,
    attributes,
  };
}

function systemValues(a: EmuAttr, o: EmuObject): unknown[] | undefined {
  if (!a.system) return undefined;
  const name = a.name.toLowerCase();
  const value = name === 'key' ? o.key : name === 'created' ? new Date(o.created).toISOString() : new Date(o.updated).toISOString();
  return [{ value, displayValue: value, searchValue: value, referencedType: false }];
}

function renderValue(env: RenderEnv, a: EmuAttr, stored: string): unknown {
  if (a.type === 2) {
    const u = env.user(stored);
    const user = env.cloud
      ? { accountId: stored, displayName: u?.displayName ?? stored, ...(u && !u.emailHidden ? { emailAddress: u.email } : {}) }
      : { key: stored, name: u?.name ?? stored, displayName: u?.displayName ?? stored, emailAddress: u?.email ?? '' };
    return { user, displayValue: u?.displayName ?? stored, searchValue: stored, referencedType: false };
  }
  if (a.type === 1) {
    const t = env.objects.objects.get(stored);
    const label = t ? labelOf(t, env) : '';
    const referencedObject = t
      ? { ...cloudIds(env, t.id), id: id(env, t.id), objectKey: t.key, label, objectType: { id: id(env, t.typeId), name: env.catalog.types.get(t.typeId)?.name ?? '' } }
      : undefined;
    return { referencedObject, displayValue: label, searchValue: t?.key ?? '', referencedType: true };
  }
  const shown = displayedValue(a, stored);
  return { value: shown, displayValue: shown, searchValue: shown, referencedType: false };
}
