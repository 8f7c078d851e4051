import type { ApplyResult, CreateWrite, RelateWrite, RunContext, SinkWrite } from '../../../src/engine/types';
import { AuthError, ConnectorError, describeError, MalformedResponseError } from '../../../src/errors';
import type { RelationTypes } from './catalog';
import type { TableClient } from './client';
import { isQuerySafeIdentity } from './identity';

export interface ApplyEnv {
  client: TableClient;
  connector: string;
  identityField: string;
  discoverySource: string;
  retiredFields: Record<string, string>;
  relationTypes(): Promise<RelationTypes>;
}

const SYS_ID = /^[A-Za-z0-9]{1,64}$/;

/** One write. A CI is only ever inserted or patched; the one delete is of a relationship row. */
export async function applyWrite(write: SinkWrite, env: ApplyEnv, ctx: RunContext): Promise<ApplyResult> {
  switch (write.op) {
    case 'create': {
      const identity = write.fields[env.identityField] ?? '';
      const find = isQuerySafeIdentity(identity) ? `${env.identityField}=${identity}^discovery_source=${env.discoverySource}` : undefined;
      return insertOnce(write.class, write.fields, find, env, ctx);
    }
    case 'update':
    case 'retire':
      await env.client.patch(write.class, write.id, write.fields, ctx.signal);
      return { id: write.id };
    case 'relate': {
      const type = (await env.relationTypes()).idByName.get(write.type);
      if (!type) {
        throw new ConnectorError(`${env.connector}: relationship type "${write.type}" does not exist in cmdb_rel_type; add it or change the mapping (\`masync doctor\` checks this)`, {
          connector: env.connector,
        });
      }
      const fields = { parent: write.parentId, child: write.childId, type };
      const safe = [write.parentId, write.childId, type].every((v) => SYS_ID.test(v));
      return insertOnce('cmdb_rel_ci', fields, safe ? `parent=${write.parentId}^child=${write.childId}^type=${type}` : undefined, env, ctx);
    }
    case 'unrelate':
      try {
        await env.client.deleteRelation(write.id, ctx.signal);
      } catch (err) {
        // Already gone (a person removed it, or a previous attempt's answer was lost): the goal is met.
        if (!(err instanceof ConnectorError && err.props.status === 404)) throw err;
      }
      return { id: write.id };
  }
}

/**
 * An insert is not idempotent, and the HTTP layer does not resend a POST
 * whose fate is unknown. So after a timeout, reset, 5xx or unreadable answer,
 * look for the record by its identity: return it if the insert landed, else
 * insert once more.
 */
async function insertOnce(table: string, fields: Record<string, string>, find: string | undefined, env: ApplyEnv, ctx: RunContext): Promise<ApplyResult> {
  try {
    return { id: (await env.client.insert(table, fields, ctx.signal)).sys_id };
  } catch (err) {
    if (find === undefined || !isAmbiguous(err)) throw err;
    ctx.logger.warn(`${env.connector}: insert into ${table} may or may not have happened (${describeError(err)}); looking for it before trying again`);
    for await (const row of env.client.list({ table, query: find, fields: ['sys_id'] }, ctx.signal)) return { id: row.sys_id };
    return { id: (await env.client.insert(table, fields, ctx.signal)).sys_id };
  }
}

/**
 * The CI a create made (by identity and discovery source, skipping retired
 * copies) or the cmdb_rel_ci row a relate drew, if it exists now. Only
 * values that are query-safe by construction go into the query.
 */
export async function lookupWritten(write: CreateWrite | RelateWrite, env: ApplyEnv, ctx: RunContext): Promise<string | undefined> {
  if (write.op === 'create') {
    const identity = write.fields[env.identityField] ?? '';
    if (!isQuerySafeIdentity(identity)) return undefined;
    const retired = Object.keys(env.retiredFields);
    const query = `${env.identityField}=${identity}^discovery_source=${env.discoverySource}`;
    for await (const row of env.client.list({ table: write.class, query, fields: ['sys_id', ...retired] }, ctx.signal)) {
      if (!retired.every((f) => row[f] === env.retiredFields[f])) return row.sys_id;
    }
    return undefined;
  }
  const type = (await env.relationTypes()).idByName.get(write.type);
  if (!type || ![write.parentId, write.childId, type].every((v) => SYS_ID.test(v))) return undefined;
  for await (const row of env.client.list({ table: 'cmdb_rel_ci', query: `parent=${write.parentId}^child=${write.childId}^type=${type}`, fields: ['sys_id'] }, ctx.signal)) return row.sys_id;
  return undefined;
}

function isAmbiguous(err: unknown): boolean {
  if (err instanceof MalformedResponseError) return true;
  if (!(err instanceof ConnectorError) || err instanceof AuthError) return false;
  return err.retryable || err.props.code !== undefined;
}
