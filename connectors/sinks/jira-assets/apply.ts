import type { ApplyResult, CreateWrite, RunContext, SinkWrite } from '../../../src/engine/types';
import { AuthError, ConnectorError, describeError, MalformedResponseError, OutcomeUnknownError } from '../../../src/errors';
import { carriedOutcomes, carriedReferences } from './carried-references';
import { findAttr, findType, type Catalog, type CatalogType } from './catalog';
import type { AssetsClient, AttributeWrite } from './client';
import type { MappedShape } from './mapped';
import { relate, unrelate } from './references';
import type { RunState } from './run-state';
import { writeValues } from './values';

export interface ApplyEnv {
  client: AssetsClient;
  shape: MappedShape;
  managedBy: string;
  connector: string;
  state: RunState;
  catalog(): Promise<Catalog>;
}

/**
 * One write. An object is only ever created or updated (a retirement is an
 * update of the lifecycle attribute); a relation is an edit of the reference
 * attribute that holds it. Nothing is ever deleted.
 */
export async function applyWrite(write: SinkWrite, env: ApplyEnv, ctx: RunContext): Promise<ApplyResult> {
  switch (write.op) {
    case 'create':
      return create(write, env, ctx);
    case 'update':
    case 'retire': {
      const type = await typeNamed(write.class, env);
      env.state.writing();
      const obj = await env.client.update(write.id, type.id, attributeWrites(type, write.fields, false, env, ctx), ctx);
      env.state.wrote(obj);
      return { id: obj.id };
    }
    case 'relate':
      return relate(write, env, ctx);
    case 'unrelate':
      return unrelate(write.id, env, ctx);
  }
}

/**
 * POST object/create, sent once, with the references the engine asks it to
 * carry (a new version's "Model"): one write where a relate would be a second. When the answer is lost (a reset, a timeout,
 * a 5xx, an unreadable body) the object may exist: say so with
 * OutcomeUnknownError, and the engine settles it with `lookup`.
 */
async function create(write: CreateWrite, env: ApplyEnv, ctx: RunContext): Promise<ApplyResult> {
  const type = await typeNamed(write.class, env);
  const attributes = attributeWrites(type, write.fields, true, env, ctx);
  const carried = write.references ? await carriedReferences(write.references, type, attributes, env, ctx) : undefined;
  env.state.writing();
  try {
    const obj = await env.client.create(type.id, carried ? [...attributes, ...carried.attributes] : attributes, ctx);
    env.state.wrote(obj);
    env.state.managed.add(obj.id);
    return carried ? { id: obj.id, references: carriedOutcomes(obj.id, carried.placed) } : { id: obj.id };
  } catch (err) {
    if (err instanceof OutcomeUnknownError || !isAmbiguous(err)) throw err;
    throw new OutcomeUnknownError(
      `${env.connector}: create of ${write.key} as "${type.name}" may or may not have landed (${describeError(err)}); masync looks it up by its External key before sending anything again`,
      { connector: env.connector, item: write.key },
      { cause: err },
    );
  }
}

/** The attributes of a write, by id. Empty values clear an attribute on update and are left out of a create. */
function attributeWrites(type: CatalogType, fields: Record<string, string>, create: boolean, env: ApplyEnv, ctx: RunContext): AttributeWrite[] {
  const out: AttributeWrite[] = [];
  for (const [name, text] of Object.entries(fields)) {
    if (create && text === '') continue;
    const attr = findAttr(type, name);
    if (!attr) {
      env.state.warnOnce(ctx, `${env.connector}: object type "${type.name}" has no attribute "${name}", so masync leaves it unwritten; \`masync init --sink ${env.connector} --apply-schema\` adds it`);
      continue;
    }
    out.push({ objectTypeAttributeId: attr.id, objectAttributeValues: writeValues(text) });
  }
  return out;
}

async function typeNamed(name: string, env: ApplyEnv): Promise<CatalogType> {
  const type = findType(await env.catalog(), name);
  if (!type) throw new ConnectorError(`${env.connector}: the mapping names object type "${name}", which is not in the schema`, { connector: env.connector });
  return type;
}

// The connection was never made, so the request never reached Assets.
const NEVER_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

/** A failure after which the request may have taken effect. A 429 or 4xx was refused; a lost connection or 5xx may not have been. */
function isAmbiguous(err: unknown): boolean {
  if (err instanceof MalformedResponseError) return true;
  if (!(err instanceof ConnectorError) || err instanceof AuthError) return false;
  const status = err.props.status;
  if (typeof status === 'number') return status >= 500;
  const code = err.props.code;
  return typeof code === 'string' ? !NEVER_SENT.has(code) : err.retryable;
}
