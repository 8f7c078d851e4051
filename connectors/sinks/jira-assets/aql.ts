/**
 * AQL text built only from quoted, escaped strings and numbers the sink read
 * from Assets itself. A value is always quoted, and a backslash or double
 * quote inside it is escaped, so no name, key or owner can end the string
 * and add a condition of its own.
 */
export function aqlString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** An id Assets gave (object type, object): digits only, checked so it cannot carry syntax. */
function aqlId(id: string): string {
  if (!/^\d{1,18}$/.test(id)) throw new Error(`not an Assets id: ${JSON.stringify(id)}`);
  return id;
}

/** `objectTypeId = 23 AND "Managed by" = "masync"`, optionally only what changed since an instant. */
export function managedQuery(typeId: string, ownership: { attribute: string; value: string }, changedSince?: { minutesAgo: number }): string {
  const parts = [`objectTypeId = ${aqlId(typeId)}`, `${aqlString(ownership.attribute)} = ${aqlString(ownership.value)}`];
  // Relative to the server's clock: an absolute "yyyy-MM-dd HH:mm" would be read in the API user's time zone.
  if (changedSince) parts.push(`Updated >= now(-${Math.max(1, Math.ceil(changedSince.minutesAgo))}m)`);
  return parts.join(' AND ');
}

/** Managed objects of a type whose identity attribute holds `identity`. */
export function identityQuery(typeId: string, identity: { attribute: string; value: string }, ownership: { attribute: string; value: string }): string {
  return `${managedQuery(typeId, ownership)} AND ${aqlString(identity.attribute)} = ${aqlString(identity.value)}`;
}
