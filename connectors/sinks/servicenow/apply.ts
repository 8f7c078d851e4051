import type { ApplyResult, CreateWrite, RelateWrite, RunContext, SinkWrite } from '../../../src/engine/types';
import { ConnectorError } from '../../../src/errors';
import type { TableClient } from './client';
import { isQuerySafeIdentity } from './identity';
import { mayHaveLanded, outcomeUnknown } from './outcome';
import type { WriteObserver } from './own-writes';

export interface ApplyEnv {
  client: TableClient;
  connector: string;
  identityField: string;
  discoverySource: string;
  retiredFields: Record<string, string>;
  /** The cmdb_rel_type sys_id of a relationship type name, if the instance has it. */
  relationTypeId(name: string): Promise<string | undefined>;
  /** Sees every write's answer: when the writes ended, and who the instance says wrote. */
  written?: WriteObserver;
}

const SYS_ID = /^[A-Za-z0-9]{1,64}$/;

/**
 * One write through the Table API. A CI is only ever inserted or patched;
 * the one delete is of a relationship row. An insert (create, relate) whose
 * outcome is unknown throws OutcomeUnknownError and is not sent again here:
 * the engine settles it with `lookupWritten`.
 */
export async function applyWrite(write: SinkWrite, env: ApplyEnv, ctx: RunContext): Promise<ApplyResult> {
  switch (write.op) {
    case 'create':
      return insert(write.class, write.fields, `insert of ${write.key} into ${write.class}`, env, ctx);
    case 'update':
    case 'retire': {
      const row = await env.client.patch(write.class, write.id, write.fields, ctx.signal, env.written?.answered);
      env.written?.wrote({ name: row.sys_updated_by });
      return { id: write.id };
    }
    case 'relate': {
      const type = await env.relationTypeId(write.type);
      if (!type) throw unknownRelationType(env.connector, write.type);
      return insert('cmdb_rel_ci', { parent: write.parentId, child: write.childId, type }, `relationship ${write.type} ${write.parentId} → ${write.childId}`, env, ctx);
    }
    case 'unrelate':
      try {
        await env.client.deleteRelation(write.id, ctx.signal, env.written?.answered);
      } catch (err) {
        // Already gone (a person removed it, or a previous attempt's answer was lost): the goal is met.
        if (!(err instanceof ConnectorError && err.props.status === 404)) throw err;
      }
      return { id: write.id };
  }
}

export function unknownRelationType(connector: string, type: string): ConnectorError {
  return new ConnectorError(`${connector}: relationship type "${type}" does not exist in cmdb_rel_type; add it or change the mapping (\`masync doctor\` checks this)`, { connector });
}

async function insert(table: string, fields: Record<string, string>, what: string, env: ApplyEnv, ctx: RunContext): Promise<ApplyResult> {
  const written = env.written?.sending();
  try {
    const row = await env.client.insert(table, fields, ctx.signal, written?.answered);
    written?.wrote({ name: row.sys_updated_by });
    return { id: row.sys_id };
  } catch (err) {
    if (!mayHaveLanded(err, ctx.signal)) throw err;
    written?.unsure();
    throw outcomeUnknown(env.connector, what, err);
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
  const type = await env.relationTypeId(write.type);
  if (!type || ![write.parentId, write.childId, type].every((v) => SYS_ID.test(v))) return undefined;
  for await (const row of env.client.list({ table: 'cmdb_rel_ci', query: `parent=${write.parentId}^child=${write.childId}^type=${type}`, fields: ['sys_id'] }, ctx.signal)) return row.sys_id;
  return undefined;
}
