import type { CatalogAttr } from './catalog';
import { ATTR, DEFAULT_TYPE, type AssetObject, type AttributeValue } from './wire';

/**
 * The text masync compares for one attribute: a default-type value as Assets
 * stores it, a user by account id (Cloud) or user key (Data Center), a
 * reference by object key, a status by name. Several values are joined, so a
 * value a person added shows up as a difference rather than vanishing.
 */
export function readText(attr: CatalogAttr, values: readonly AttributeValue[]): { text: string; label?: string } {
  const parts = values.map((v) => one(attr, v)).filter((p) => p !== '');
  const text = parts.join(', ');
  if (attr.type !== ATTR.user) return { text };
  const names = values.map((v) => v.user?.displayName ?? v.displayValue ?? '').filter((n) => n !== '');
  return names.length > 0 ? { text, label: names.join(', ') } : { text };
}

function one(attr: CatalogAttr, v: AttributeValue): string {
  switch (attr.type) {
    case ATTR.user:
      return v.user?.accountId ?? v.user?.key ?? v.searchValue ?? v.value ?? '';
    case ATTR.reference:
      return v.referencedObject?.objectKey ?? v.searchValue ?? v.value ?? '';
    case ATTR.status:
      return v.status?.name ?? v.displayValue ?? v.value ?? '';
    default:
      return canonical(attr, v.value ?? v.searchValue ?? '');
  }
}

/**
 * Numbers and booleans as the mapping writes them: Assets answers a Double
 * 12 as "12.0" and may capitalise a boolean, which would otherwise look like
 * a change on every run.
 */
function canonical(attr: CatalogAttr, text: string): string {
  if (attr.defaultTypeId === DEFAULT_TYPE.integer || attr.defaultTypeId === DEFAULT_TYPE.double) {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? String(n) : text;
  }
  if (attr.defaultTypeId === DEFAULT_TYPE.boolean) return text.toLowerCase();
  return text;
}

/** The values to send for a field's text: none clears the attribute. */
export function writeValues(text: string): Array<{ value: string }> {
  return text === '' ? [] : [{ value: text }];
}

/** Values of one attribute of an object. */
export function valuesOf(obj: AssetObject, attrId: string): AttributeValue[] {
  return obj.attributes.find((a) => a.objectTypeAttributeId === attrId)?.objectAttributeValues ?? [];
}

/** The objects a reference attribute points at: id (what the engine speaks) and key (what a write sends). */
export function referencesOf(obj: AssetObject, attrId: string): Array<{ id: string; objectKey: string }> {
  const out: Array<{ id: string; objectKey: string }> = [];
  for (const v of valuesOf(obj, attrId)) if (v.referencedObject) out.push({ id: v.referencedObject.id, objectKey: v.referencedObject.objectKey });
  return out;
}
