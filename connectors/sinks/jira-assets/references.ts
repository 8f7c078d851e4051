import type { ApplyResult, RelateWrite, RunContext } from '../../../src/engine/types';
import { ConnectorError } from '../../../src/errors';
import type { ApplyEnv } from './apply';
import { findAttr, type CatalogAttr, type CatalogType } from './catalog';
import { parseRelationId, relationId } from './relation-id';
import { referencesOf } from './values';
import { ATTR, type AssetObject } from './wire';

/**
 * Add one value to the holder's reference attribute, keeping every value it
 * has. The holder is read right before the write (unless this run just wrote
 * it and holds Assets' answer), because a PUT replaces the attribute's values
 * whole: sending what the sink saw minutes ago would undo a person's edit.
 */
export function relate(write: RelateWrite, env: ApplyEnv, ctx: RunContext): Promise<ApplyResult> {
  const [holderId, targetId] = write.holder === 'child' ? [write.childId, write.parentId] : [write.parentId, write.childId];
  return env.state.exclusive(holderId, () => addReference(write.type, holderId, targetId, env, ctx));
}

async function addReference(name: string, holderId: string, targetId: string, env: ApplyEnv, ctx: RunContext): Promise<ApplyResult> {
  // Every object has a Key and a Name: an answer without attributes did not include them, so read the holder.
  const answered = env.state.written.get(holderId);
  const holder = answered && answered.attributes.length > 0 ? answered : await env.client.get(holderId, ctx);
  const { type, attr } = await referenceAttribute(holder, name, env);
  const refs = referencesOf(holder, attr.id);
  const id = relationId(holder.id, attr.id, targetId);
  if (refs.some((r) => r.id === targetId)) return { id };
  const targetKey = env.state.keys.get(targetId) ?? (await env.client.get(targetId, ctx)).objectKey;
  const keep = withRoomForOne(refs, attr, holder, env);
  env.state.writing();
  const obj = await env.client.update(holder.id, type.id, [{ objectTypeAttributeId: attr.id, objectAttributeValues: [...keep, targetKey].map((value) => ({ value })) }], ctx);
  env.state.wrote(obj);
  return { id };
}

/** Remove exactly one value from the holder's reference attribute; the others stay. Already gone is done. */
export function unrelate(id: string, env: ApplyEnv, ctx: RunContext): Promise<ApplyResult> {
  const ref = parseRelationId(id);
  if (!ref) return Promise.reject(new ConnectorError(`${env.connector}: "${id}" is not a relation id this sink gave`, { connector: env.connector }));
  return env.state.exclusive(ref.holderId, () => removeReference(id, ref, env, ctx));
}

async function removeReference(id: string, ref: { holderId: string; attrId: string; targetId: string }, env: ApplyEnv, ctx: RunContext): Promise<ApplyResult> {
  let holder: AssetObject;
  try {
    holder = await env.client.get(ref.holderId, ctx);
  } catch (err) {
    if (err instanceof ConnectorError && err.props.status === 404) return { id }; // the holder is gone, and the reference with it
    throw err;
  }
  const refs = referencesOf(holder, ref.attrId);
  if (!refs.some((r) => r.id === ref.targetId)) return { id };
  const type = await typeOf(holder, env);
  env.state.writing();
  const rest = refs.filter((r) => r.id !== ref.targetId).map((r) => ({ value: r.objectKey }));
  env.state.wrote(await env.client.update(holder.id, type.id, [{ objectTypeAttributeId: ref.attrId, objectAttributeValues: rest }], ctx));
  return { id };
}

/** The relation a relate drew, if the holder's attribute now holds it. */
export async function lookupRelation(write: RelateWrite, env: ApplyEnv, ctx: RunContext): Promise<string | undefined> {
  const [holderId, targetId] = write.holder === 'child' ? [write.childId, write.parentId] : [write.parentId, write.childId];
  const holder = await env.client.get(holderId, ctx);
  const { attr } = await referenceAttribute(holder, write.type, env);
  return referencesOf(holder, attr.id).some((r) => r.id === targetId) ? relationId(holder.id, attr.id, targetId) : undefined;
}

async function referenceAttribute(holder: AssetObject, name: string, env: ApplyEnv): Promise<{ type: CatalogType; attr: CatalogAttr }> {
  const type = await typeOf(holder, env);
  const attr = findAttr(type, name);
  if (!attr || attr.type !== ATTR.reference) throw noReferenceAttribute(type, name, env);
  return { type, attr };
}

export function noReferenceAttribute(type: CatalogType, name: string, env: Pick<ApplyEnv, 'connector'>): ConnectorError {
  return new ConnectorError(
    `${env.connector}: object type "${type.name}" has no object reference attribute "${name}"; create it with \`masync init --sink ${env.connector} --apply-schema\``,
    { connector: env.connector },
  );
}

async function typeOf(obj: AssetObject, env: ApplyEnv): Promise<CatalogType> {
  const type = (await env.catalog()).types.find((t) => t.id === obj.objectType.id);
  if (!type) throw new ConnectorError(`${env.connector}: object ${obj.objectKey} is not of an object type the mapping writes`, { connector: env.connector });
  return type;
}

/**
 * The keys to keep so one more fits. A full attribute (a version's single
 * "Model") may give up values pointing at masync's own objects, which the
 * new relation replaces; a value pointing at anything else was set by a
 * person, and masync refuses rather than remove it.
 */
function withRoomForOne(refs: Array<{ id: string; objectKey: string }>, attr: CatalogAttr, holder: AssetObject, env: ApplyEnv): string[] {
  const keys = refs.map((r) => r.objectKey);
  if (attr.max < 0 || refs.length < attr.max) return keys;
  const over = refs.length + 1 - attr.max;
  const ours = refs.filter((r) => env.state.managed.has(r.id));
  if (ours.length < over) {
    throw new ConnectorError(
      `${env.connector}: "${attr.name}" on ${holder.objectKey} holds at most ${attr.max} value(s) and already holds ${keys.join(', ')}, set outside masync; ` +
        `masync does not remove a person's value: remove it, or raise the attribute's maximum cardinality`,
      { connector: env.connector, item: holder.objectKey },
    );
  }
  const dropped = new Set(ours.slice(0, over).map((r) => r.id));
  return refs.filter((r) => !dropped.has(r.id)).map((r) => r.objectKey);
}
