import type { CreateWrite, RunContext } from '../../../src/engine/types';
import type { ApplyEnv } from './apply';
import { identityQuery } from './aql';
import { findAttr, findType, type CatalogAttr, type CatalogType } from './catalog';
import { readText, valuesOf } from './values';
import type { AssetObject } from './wire';

/**
 * The object a create made, found by its External key among masync's own
 * objects of its type. AQL compares text without regard to case, so the
 * candidates are compared exactly here; retired copies are passed over.
 */
export async function lookupCreated(write: CreateWrite, env: ApplyEnv, ctx: RunContext): Promise<string | undefined> {
  const type = findType(await env.catalog(), write.class);
  const identity = findAttr(type, env.shape.identity);
  const ownership = findAttr(type, env.shape.ownership);
  const value = write.fields[env.shape.identity];
  if (!type || !identity || !ownership || value === undefined || value === '') return undefined;
  const query = identityQuery(type.id, { attribute: identity.name, value }, { attribute: ownership.name, value: env.managedBy });
  const found: string[] = [];
  for await (const obj of env.client.search(query, ctx)) {
    if (text(identity, obj) !== value || text(ownership, obj) !== env.managedBy || isRetired(obj, type, env)) continue;
    env.state.remember(obj);
    env.state.managed.add(obj.id);
    found.push(obj.id);
  }
  if (found.length > 1) ctx.logger.warn(`${env.connector}: ${found.length} active objects of "${type.name}" carry External key ${value}: ${found.join(', ')}; masync uses ${found[0]}`);
  return found[0];
}

function text(attr: CatalogAttr, obj: AssetObject): string {
  return readText(attr, valuesOf(obj, attr.id)).text;
}

function isRetired(obj: AssetObject, type: CatalogType, env: ApplyEnv): boolean {
  return Object.entries(env.shape.retired).every(([name, value]) => {
    const attr = findAttr(type, name);
    return attr !== undefined && text(attr, obj) === value;
  });
}
