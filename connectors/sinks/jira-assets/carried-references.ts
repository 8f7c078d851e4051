import type { CarriedOutcome, CarriedReference, RunContext } from '../../../src/engine/types';
import type { ApplyEnv } from './apply';
import { findAttr, type CatalogType } from './catalog';
import type { AttributeWrite } from './client';
import { noReferenceAttribute } from './references';
import { relationId } from './relation-id';
import { ATTR } from './wire';

interface Carried {
  /** Reference attribute values the create sends, one entry per attribute. */
  attributes: AttributeWrite[];
  /** Per reference, in order: the holder-free part of its relation id, an error, or not carried. */
  placed: Array<{ attrId: string; targetId: string } | { error: Error } | undefined>;
}

/**
 * The references a new object's create carries in its reference attributes.
 * A new object holds no value yet, so the create sets each attribute to the
 * keys of what it points at, up to the attribute's maximum cardinality; a
 * reference beyond it, or one the create cannot be sure Assets takes (its
 * attribute also written from a field, a target of another object type), is
 * not carried, and the engine draws it on its own afterwards exactly as
 * before — a relate never makes its create fail.
 */
export async function carriedReferences(refs: readonly CarriedReference[], type: CatalogType, taken: readonly AttributeWrite[], env: ApplyEnv, ctx: RunContext): Promise<Carried> {
  const byAttr = new Map<string, AttributeWrite>();
  const placed: Carried['placed'] = [];
  for (const ref of refs) {
    const attr = findAttr(type, ref.type);
    if (!attr || attr.type !== ATTR.reference) {
      placed.push({ error: noReferenceAttribute(type, ref.type, env) });
      continue;
    }
    const values = byAttr.get(attr.id)?.objectAttributeValues ?? [];
    const target = await targetOf(ref.targetId, env, ctx);
    const full = attr.max >= 0 && values.length >= attr.max;
    const foreign = attr.referenceObjectTypeId !== undefined && target?.typeId !== undefined && target.typeId !== attr.referenceObjectTypeId;
    if (!target || full || foreign || taken.some((a) => a.objectTypeAttributeId === attr.id)) {
      placed.push(undefined);
      continue;
    }
    if (!values.some((v) => v.value === target.key)) values.push({ value: target.key });
    byAttr.set(attr.id, { objectTypeAttributeId: attr.id, objectAttributeValues: values });
    placed.push({ attrId: attr.id, targetId: ref.targetId });
  }
  return { attributes: [...byAttr.values()], placed };
}

/** What the engine is told of each carried reference, once the create has its object id. */
export function carriedOutcomes(objectId: string, placed: Carried['placed']): CarriedOutcome[] {
  return placed.map((p) => (p === undefined || 'error' in p ? p : { id: relationId(objectId, p.attrId, p.targetId) }));
}

/** The key a reference is written by, and the target's type where known; a target that cannot be read is left to a relate of its own. */
async function targetOf(id: string, env: ApplyEnv, ctx: RunContext): Promise<{ key: string; typeId?: string } | undefined> {
  const key = env.state.keys.get(id);
  if (key !== undefined) return { key, typeId: env.state.typeIds.get(id) };
  try {
    const obj = await env.client.get(id, ctx);
    env.state.remember(obj);
    return { key: obj.objectKey, typeId: obj.objectType.id };
  } catch {
    return undefined;
  }
}
