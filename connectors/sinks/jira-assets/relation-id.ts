/**
 * A reference attribute value as a relation id: the holder, the attribute and
 * the object it points at. That is all `unrelate` needs to remove exactly
 * this one value and leave the attribute's others alone.
 */
export function relationId(holderId: string, attrId: string, targetId: string): string {
  return `${holderId}/${attrId}/${targetId}`;
}

export function parseRelationId(id: string): { holderId: string; attrId: string; targetId: string } | undefined {
  const m = /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(id);
  return m ? { holderId: m[1] as string, attrId: m[2] as string, targetId: m[3] as string } : undefined;
}
