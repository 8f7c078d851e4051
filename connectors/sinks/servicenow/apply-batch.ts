import type { RunContext, SinkWrite, WriteResult } from '../../../src/engine/types';
import { AuthError, ConnectorError, describeError, OutcomeUnknownError } from '../../../src/errors';
import { applyWrite, unknownRelationType, type ApplyEnv } from './apply';
import type { BatchClient, SubAnswer, SubRequest } from './batch-client';
import { serviceNowErrorMessage, tablePath, WRITE_ANSWER_FIELDS } from './client';
import { mayHaveLanded, outcomeUnknown } from './outcome';
import type { RunCache } from './run-cache';

export interface BatchEnv extends ApplyEnv {
  batch: BatchClient;
  run: RunCache;
}

// What an instance answers when the Batch API is off (400), absent (404), not allowed (405) or the user lacks its role (403).
const REFUSED = new Set([400, 403, 404, 405]);
const SHORT = `?sysparm_fields=${WRITE_ANSWER_FIELDS}&sysparm_exclude_reference_link=true`;

/**
 * Several writes in one Batch API call, with one result per write, in
 * order. Each sub-request is judged as the same request sent alone would
 * be: an insert (create, relate) that may have happened (a 5xx, unserviced,
 * an unreadable answer, or a whole call that failed ambiguously) is
 * `unknown`, for the engine to settle by lookup; a PATCH or DELETE that
 * failed is a plain failure, safe to try again. When the instance refuses
 * the Batch API itself, nothing in the call happened: the run goes on
 * through the Table API, with one warning.
 */
export async function applyBatchWrites(writes: readonly SinkWrite[], batchEnv: BatchEnv, ctx: RunContext): Promise<WriteResult[]> {
  if (batchEnv.run.tableApiOnly) return viaTableApi(writes, batchEnv, ctx);
  // An insert of this call whose outcome is unsure dates from before it was sent.
  const env = { ...batchEnv, written: batchEnv.written?.sending() };
  const results: WriteResult[] = new Array<WriteResult>(writes.length);
  const subs: SubRequest[] = [];
  for (const [i, w] of writes.entries()) {
    try {
      subs.push(await subRequest(w, String(i), env));
    } catch (err) {
      results[i] = { ok: false, error: asError(err), unknown: false };
    }
  }
  if (subs.length === 0) return results;
  const writeOf = (s: SubRequest) => writes[Number(s.id)] as SinkWrite;
  let answers: Map<string, SubAnswer>;
  try {
    answers = await env.batch.send(subs, ctx.signal, env.written?.answered);
  } catch (err) {
    if (err instanceof ConnectorError && typeof err.props.status === 'number' && REFUSED.has(err.props.status)) {
      env.run.tableApiOnly = true;
      env.run.warnOnce(ctx, `${env.connector}: the instance refuses the Batch API (${describeError(err)}); writing through the Table API for the rest of this run, one request per write. Give the integration user the Batch API's role, or set \`writeApi: table\``);
      const fallback = await viaTableApi(subs.map(writeOf), env, ctx);
      subs.forEach((s, j) => (results[Number(s.id)] = fallback[j] as WriteResult));
      return results;
    }
    const landed = mayHaveLanded(err, ctx.signal);
    for (const s of subs) results[Number(s.id)] = failed(writeOf(s), asError(err), landed, env);
    return results;
  }
  for (const s of subs) results[Number(s.id)] = resultOf(writeOf(s), answers.get(s.id) ?? { kind: 'missing' }, env);
  return results;
}

async function subRequest(w: SinkWrite, id: string, env: ApplyEnv): Promise<SubRequest> {
  switch (w.op) {
    case 'create':
      return { id, method: 'POST', url: tablePath(w.class) + SHORT, body: w.fields };
    case 'update':
    case 'retire':
      return { id, method: 'PATCH', url: `${tablePath(w.class)}/${encodeURIComponent(w.id)}${SHORT}`, body: w.fields };
    case 'relate': {
      const type = await env.relationTypeId(w.type);
      if (!type) throw unknownRelationType(env.connector, w.type);
      return { id, method: 'POST', url: tablePath('cmdb_rel_ci') + SHORT, body: { parent: w.parentId, child: w.childId, type } };
    }
    case 'unrelate':
      return { id, method: 'DELETE', url: `${tablePath('cmdb_rel_ci')}/${encodeURIComponent(w.id)}` };
  }
}

function resultOf(w: SinkWrite, answer: SubAnswer, env: BatchEnv): WriteResult {
  if (answer.kind !== 'answered') {
    const why = answer.kind === 'unserviced' ? 'was not serviced (the batch was cut short)' : 'has no answer in the batch response';
    return failed(w, new ConnectorError(`${env.connector}: ${describeWrite(w)} ${why}`, { connector: env.connector }), true, env);
  }
  const { status } = answer;
  if (status >= 200 && status < 300) {
    const result = (answer.data as { result?: { sys_id?: unknown; sys_updated_by?: unknown } } | undefined)?.result;
    env.written?.wrote(w.op === 'unrelate' ? 'no-record' : { name: typeof result?.sys_updated_by === 'string' ? result.sys_updated_by : undefined });
    if (w.op !== 'create' && w.op !== 'relate') return { ok: true, id: w.id };
    const sysId = result?.sys_id;
    if (typeof sysId === 'string' && sysId !== '') return { ok: true, id: sysId };
    return failed(w, new ConnectorError(`${env.connector}: ${describeWrite(w)} answered ${status} without a readable sys_id`, { connector: env.connector }), true, env);
  }
  // Already gone (a person removed it, or an earlier attempt's answer was lost): the goal is met.
  if (status === 404 && w.op === 'unrelate') return { ok: true, id: w.id };
  const vendor = answer.readable ? serviceNowErrorMessage(answer.data) : undefined;
  const message = `${env.connector}: ${describeWrite(w)} in a batch → HTTP ${status}${vendor ? `: ${vendor}` : ''}`;
  const props = { connector: env.connector, status };
  const error = status === 401 || status === 403 ? new AuthError(message, props) : new ConnectorError(message, props, { retryable: status === 429 || status >= 500 });
  return failed(w, error, status >= 500, env);
}

/** A failure; for an insert that may have happened, an unknown outcome. */
function failed(w: SinkWrite, error: Error, mayHaveHappened: boolean, env: ApplyEnv): WriteResult {
  if (!mayHaveHappened || (w.op !== 'create' && w.op !== 'relate')) return { ok: false, error, unknown: false };
  env.written?.unsure();
  return { ok: false, error: outcomeUnknown(env.connector, describeWrite(w), error), unknown: true };
}

/** The same writes one Table API request each; the HTTP layer bounds how many are in flight. */
function viaTableApi(writes: readonly SinkWrite[], env: ApplyEnv, ctx: RunContext): Promise<WriteResult[]> {
  return Promise.all(
    writes.map((w) =>
      applyWrite(w, env, ctx).then(
        (r): WriteResult => ({ ok: true, id: r.id }),
        (err: unknown): WriteResult => ({ ok: false, error: asError(err), unknown: err instanceof OutcomeUnknownError }),
      ),
    ),
  );
}

function describeWrite(w: SinkWrite): string {
  switch (w.op) {
    case 'create':
      return `insert of ${w.key} into ${w.class}`;
    case 'update':
    case 'retire':
      return `${w.op} of ${w.key} (${w.class} ${w.id})`;
    case 'relate':
      return `relationship ${w.type} ${w.parentId} → ${w.childId}`;
    case 'unrelate':
      return `removal of relationship ${w.id}`;
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
