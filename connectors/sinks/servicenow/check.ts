import type { CheckResult, RunContext } from '../../../src/engine/types';
import { AuthError, ConnectorError, describeError } from '../../../src/errors';
import type { BatchClient } from './batch-client';
import { CI_BASE, readClasses, readRelationTypes, type ClassInfo } from './catalog';
import type { TableClient } from './client';
import type { ServiceNowConfig } from './config';
import { catalogGaps, DICTIONARY_ACL_HINT, type CatalogGap } from './dictionary-guard';
import type { MappedShape } from './mapped';

export interface CheckEnv {
  client: TableClient;
  /** Present when writes go through the Batch API. */
  batch?: BatchClient;
  config: ServiceNowConfig;
  shape: MappedShape;
}

/**
 * `masync doctor` for a ServiceNow sink: can we get in, may we read, and does
 * the instance have what the mapping writes (discovery source choice,
 * classes, columns, relationship types). Stops after a failed connection,
 * since nothing else can be learnt then.
 */
export async function checkInstance(env: CheckEnv, ctx: RunContext): Promise<CheckResult[]> {
  const { client, config } = env;
  const ds = config.discoverySource;
  const results: CheckResult[] = [];
  try {
    const managed = await client.count('cmdb_ci', `discovery_source=${ds}`, ctx.signal);
    results.push({ check: `instance ${config.instance} reachable`, ok: true }, { check: 'credentials accepted', ok: true });
    results.push({ check: 'read cmdb_ci', ok: true, detail: `${managed} CI(s) with discovery_source ${ds}` });
  } catch (err) {
    return connectionFailure(err, config);
  }

  results.push(await step(`discovery source "${ds}" is a choice of cmdb_ci.discovery_source`, async () => {
    const n = await client.count('sys_choice', `name=cmdb_ci^element=discovery_source^value=${ds}`, ctx.signal);
    if (n > 0) return {};
    return {
      fail: `no sys_choice row for cmdb_ci.discovery_source with value ${ds}`,
      hint: `add it in System Definition > Choice Lists: table cmdb_ci, element discovery_source, value "${ds}", label "${ds}" (or set discoverySource to an existing choice); CMDB tools and IRE reject sources that are not choices`,
    };
  }));

  const classNames = [...env.shape.classes.keys()];
  let classes: Map<string, ClassInfo> | undefined;
  try {
    classes = await readClasses(client, [...classNames, CI_BASE], ctx.signal);
  } catch (err) {
    results.push({ check: 'read the class hierarchy and dictionary', ok: false, detail: describeError(err), hint: DICTIONARY_ACL_HINT });
  }
  const gaps = classes ? catalogGaps(classes, env.shape, ['discovery_source']) : [];
  if (gaps.some((g) => g.cls === CI_BASE)) {
    // Every class would look missing; saying so would send the admin after plugins instead of the ACL.
    results.push({ check: 'read the class hierarchy (sys_db_object)', ok: false, detail: gaps[0]?.detail, hint: DICTIONARY_ACL_HINT });
    classes = undefined;
  }
  for (const cls of classNames) {
    const info = classes?.get(cls);
    if (!info) continue;
    if (!info.exists) {
      results.push({
        check: `class ${cls} exists`,
        ok: false,
        detail: `no sys_db_object row named ${cls}`,
        hint: `the CSDM 5 AI classes come with the AI Control Tower / CSDM plugins; install them, or set \`mapping: servicenow-generic\` on sink ${config.name} to write cmdb_ci_appl instead`,
      });
      continue;
    }
    const gap = gaps.find((g) => g.cls === cls && g.cause === 'hidden');
    results.push({ check: `class ${cls} exists`, ok: true }, gap ? hiddenColumns(cls, gap) : columnCheck(cls, info.columns, env));
  }

  results.push(await step('relationship types exist in cmdb_rel_type', async () => {
    const types = await readRelationTypes(client, ctx.signal);
    const missing = env.shape.relationTypes.filter((t) => !types.idByName.has(t));
    if (missing.length === 0) return {};
    return { fail: `missing: ${missing.join(', ')}`, hint: 'add them under Configuration > CI Relationship Types, or change the relation types in the mapping' };
  }));

  if (env.batch) results.push(await batchCheck(env.batch, config, ctx));

  for (const table of env.shape.lookupTables) {
    const check = `read ${table} (for lookups)`;
    try {
      await client.count(table, '', ctx.signal);
      results.push({ check, ok: true });
    } catch (err) {
      results.push({ check, ok: false, detail: describeError(err), hint: `grant the integration user read on ${table}; until then the fields looked up there are left unwritten` });
    }
  }
  return results;
}

/** One harmless read carried in a Batch API call: does the instance let this user batch? */
async function batchCheck(batch: BatchClient, config: ServiceNowConfig, ctx: RunContext): Promise<CheckResult> {
  const check = 'Batch API accepted (writes are batched)';
  try {
    const answer = (await batch.send([{ id: 'probe', method: 'GET', url: '/api/now/table/cmdb_ci?sysparm_limit=1&sysparm_fields=sys_id' }], ctx.signal)).get('probe');
    if (answer?.kind === 'answered' && answer.status === 200) return { check, ok: true, detail: `${config.batchSize} writes per call` };
    return { check, ok: false, detail: `the probe came back ${answer?.kind === 'answered' ? `HTTP ${answer.status}` : (answer?.kind ?? 'missing')}` };
  } catch (err) {
    return {
      check,
      ok: false,
      detail: describeError(err),
      hint: 'masync falls back to one Table API request per write, which is several times slower; give the integration user the role the Batch API requires (and check the API is active), or set `writeApi: table`',
    };
  }
}

function hiddenColumns(cls: string, gap: CatalogGap): CheckResult {
  return { check: `class ${cls} has the mapped columns`, ok: false, detail: gap.detail, hint: DICTIONARY_ACL_HINT };
}

function columnCheck(cls: string, columns: Map<string, { type: string; maxLength: number }>, env: CheckEnv): CheckResult {
  const wanted = new Map(env.shape.classes.get(cls) ?? []);
  for (const f of [env.shape.identityField, 'discovery_source', ...Object.keys(env.shape.retiredFields)]) if (!wanted.has(f)) wanted.set(f, undefined);
  const missing = [...wanted.keys()].filter((f) => !columns.has(f));
  const short = [...wanted].filter(([f, len]) => {
    const col = columns.get(f);
    return col !== undefined && len !== undefined && col.type === 'string' && col.maxLength > 0 && col.maxLength < len;
  });
  const check = `class ${cls} has the mapped columns`;
  if (missing.length === 0 && short.length === 0) return { check, ok: true };
  const custom = missing.filter((f) => f.startsWith('u_')).map((f) => `${f} (String, max length ${wanted.get(f) ?? 255})`);
  const standard = missing.filter((f) => !f.startsWith('u_'));
  const hints: string[] = [];
  if (custom.length) hints.push(`add these columns to ${cls} (or a parent class such as cmdb_ci) under System Definition > Tables: ${custom.join(', ')}`);
  if (standard.length) hints.push(`${standard.join(', ')} are standard CMDB columns: ${cls} may not be a CI class, check the mapping`);
  if (short.length) hints.push(`widen ${short.map(([f, len]) => `${f} to ${len}`).join(', ')}; until then longer values are cut`);
  const detail = [missing.length ? `missing: ${missing.join(', ')}` : '', short.length ? `too short: ${short.map(([f]) => `${f} (${columns.get(f)?.maxLength})`).join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return { check, ok: false, detail, hint: `${hints.join('; ')}; masync leaves missing columns unwritten until they exist` };
}

function connectionFailure(err: unknown, config: ServiceNowConfig): CheckResult[] {
  const detail = describeError(err);
  const reachable = { check: `instance ${config.instance} reachable`, ok: true };
  if (err instanceof AuthError && err.props.status === 401) {
    const oauth = 'clientId' in config.auth;
    const hint = oauth
      ? 'check auth.clientId/clientSecret against the OAuth application registry entry' +
        ('username' in config.auth
          ? ' and auth.username/password'
          : '; the client-credentials grant also needs the system property glide.oauth.inbound.client.credential.grant_type.enabled = true')
      : 'check auth.username/password, and that the user is active and allowed web service access';
    return [reachable, { check: 'credentials accepted', ok: false, detail, hint }];
  }
  if (err instanceof AuthError) {
    return [reachable, { check: 'credentials accepted', ok: true }, { check: 'read cmdb_ci', ok: false, detail, hint: 'give the integration user a role that reads the CMDB, e.g. itil or cmdb_read, plus write access to the mapped classes' }];
  }
  if (err instanceof ConnectorError && err.props.status === undefined) {
    return [{ check: `instance ${config.instance} reachable`, ok: false, detail, hint: 'check the instance URL, DNS, proxy and firewall between masync and ServiceNow' }];
  }
  return [reachable, { check: 'read cmdb_ci', ok: false, detail, hint: 'the instance answered unexpectedly; is `instance` the base URL of a ServiceNow instance?' }];
}

async function step(check: string, run: () => Promise<{ fail?: string; hint?: string }>): Promise<CheckResult> {
  try {
    const r = await run();
    return r.fail === undefined ? { check, ok: true } : { check, ok: false, detail: r.fail, ...(r.hint ? { hint: r.hint } : {}) };
  } catch (err) {
    return { check, ok: false, detail: describeError(err) };
  }
}
