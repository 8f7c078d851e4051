import type { CheckResult, RunContext } from '../../../src/engine/types';
import { AuthError, ConnectorError, describeError } from '../../../src/errors';
import { managedQuery } from './aql';
import { plannedAttributes } from './attribute-plan';
import { findAttr, resolveCatalog, type Catalog, type CatalogAttr, type CatalogType } from './catalog';
import type { CatalogClient } from './catalog-client';
import type { AssetsClient } from './client';
import type { MappedShape, MappedType } from './mapped';
import type { AssetsTransport } from './transport';
import { ATTR } from './wire';

export interface CheckEnv {
  transport: AssetsTransport;
  client: AssetsClient;
  catalogClient: CatalogClient;
  shape: MappedShape;
  schemaRef: string;
  managedBy: string;
  connector: string;
}

/**
 * `masync doctor` for a Jira Assets sink: can masync get in, is there an
 * Assets workspace, does the schema hold what the mapping writes, and may
 * the user read and write objects. Each failure says how to fix it. Stops
 * after a failed connection, since nothing else can be learnt then.
 */
export async function checkAssets(env: CheckEnv, ctx: RunContext): Promise<CheckResult[]> {
  const cloud = env.transport.deployment === 'cloud';
  const apply = `run \`masync init --sink ${env.connector} --apply-schema\` (or create it by hand in Assets)`;
  const results: CheckResult[] = [];
  let catalog: Catalog;
  try {
    if (cloud) await env.transport.workspaceId(ctx);
    catalog = await resolveCatalog(env.catalogClient, env.shape, env.schemaRef, ctx);
  } catch (err) {
    return connectionFailure(err, env);
  }
  results.push({ check: `${env.transport.where} reachable`, ok: true }, { check: 'credentials accepted', ok: true });
  if (cloud) results.push({ check: 'Assets workspace found', ok: true });
  results.push({ check: 'read object schemas', ok: true });
  if (!catalog.schema) {
    results.push({ check: `object schema "${env.schemaRef}" exists`, ok: false, detail: 'no schema with that name or key', hint: apply });
    return results;
  }
  results.push({ check: `object schema "${env.schemaRef}" exists`, ok: true, detail: `key ${catalog.schema.key}` });

  let probe: { id: string; type: CatalogType; ownership: CatalogAttr } | undefined;
  for (const mt of env.shape.types.values()) {
    const type = catalog.types.find((t) => t.name === mt.name);
    if (!type) {
      results.push({ check: `object type "${mt.name}" exists`, ok: false, hint: apply });
      continue;
    }
    results.push({ check: `object type "${mt.name}" exists`, ok: true }, attributeCheck(mt, type, catalog, env, apply));
    const ownership = findAttr(type, env.shape.ownership);
    if (!ownership) continue;
    results.push(
      await step(`read objects of "${mt.name}"`, 'the user needs the Object Schema Users role (or higher) on the schema', async () => {
        for await (const obj of env.client.search(managedQuery(type.id, { attribute: ownership.name, value: env.managedBy }), ctx, { pageSize: 1, pages: 1 })) {
          probe ??= { id: obj.id, type, ownership };
        }
      }),
    );
  }
  results.push(await writeProbe(probe, env, ctx));
  if ([...env.shape.types.values()].some((mt) => [...mt.attributes.values()].some((specs) => specs.some((s) => s.spec.lookup)))) {
    const hint = cloud ? 'the user needs the global permission "Browse users and groups"' : 'the user needs the global permission "Browse users"';
    results.push(
      await step('look up owners among Jira users', hint, async () => {
        const path = cloud ? '/rest/api/3/user/search' : '/rest/api/2/user/search';
        await env.transport.jira({ method: 'GET', path, query: cloud ? { query: 'masync', maxResults: 1 } : { username: 'masync', maxResults: 1 } }, ctx);
      }),
    );
  }
  return results;
}

function attributeCheck(mt: MappedType, type: CatalogType, catalog: Catalog, env: CheckEnv, apply: string): CheckResult {
  const problems: string[] = [];
  for (const p of plannedAttributes(mt, env.shape)) {
    const a = findAttr(type, p.name);
    if (!a) problems.push(`"${p.name}" is missing`);
    else if (p.type === ATTR.reference && (a.type !== ATTR.reference || catalog.types.find((t) => t.id === a.referenceObjectTypeId)?.name !== p.referenceTo)) {
      problems.push(`"${p.name}" is not a reference to "${p.referenceTo}"`);
    } else if (p.type === ATTR.user && a.type !== ATTR.user) problems.push(`"${p.name}" is not a User attribute`);
    else if (p.options && a.options && p.options.some((o) => !a.options?.includes(o))) problems.push(`"${p.name}" lacks the option(s) ${p.options.filter((o) => !a.options?.includes(o)).join(', ')}`);
  }
  const check = `object type "${mt.name}" has the mapped attributes`;
  if (problems.length === 0) return { check, ok: true };
  return { check, ok: false, detail: problems.join('; '), hint: `${apply}; until then a missing attribute is left unwritten, and masync cannot run without External key, Managed by and the lifecycle attribute` };
}

/** PUT the ownership value an object already holds: proves write access and changes nothing. */
async function writeProbe(probe: { id: string; type: CatalogType; ownership: CatalogAttr } | undefined, env: CheckEnv, ctx: RunContext): Promise<CheckResult> {
  const check = 'write objects';
  const hint = 'the user needs the Object Schema Developers role (or Managers) on the schema';
  if (!probe) return { check, ok: true, detail: 'not probed: masync owns no object here yet; the first create will tell (it needs the Object Schema Developers role)' };
  const { id, type, ownership } = probe;
  return step(check, hint, async () => {
    await env.client.update(id, type.id, [{ objectTypeAttributeId: ownership.id, objectAttributeValues: [{ value: env.managedBy }] }], ctx);
  });
}

function connectionFailure(err: unknown, env: CheckEnv): CheckResult[] {
  const detail = describeError(err);
  const cloud = env.transport.deployment === 'cloud';
  const reachable = { check: `${env.transport.where} reachable`, ok: true };
  if (err instanceof AuthError && err.props.status === 401) {
    const hint = cloud
      ? 'check email and apiToken: the token is made at id.atlassian.com > Security > API tokens by the account whose email is configured'
      : 'check token: a personal access token from the Jira profile (Personal Access Tokens) that has not expired';
    return [reachable, { check: 'credentials accepted', ok: false, detail, hint }];
  }
  if (err instanceof AuthError) {
    return [reachable, { check: 'credentials accepted', ok: true }, { check: 'read object schemas', ok: false, detail, hint: 'give the user access to Assets: a Jira Service Management agent seat and the Object Schema Users role on the schema' }];
  }
  if (err instanceof ConnectorError && err.props.code === 'no-workspace') {
    return [reachable, { check: 'credentials accepted', ok: true }, { check: 'Assets workspace found', ok: false, detail, hint: 'Assets needs Jira Service Management Premium or Enterprise; open Assets once as an admin to create the workspace' }];
  }
  if (err instanceof ConnectorError && err.props.status === undefined && err.props.code !== undefined) {
    return [{ check: `${env.transport.where} reachable`, ok: false, detail, hint: 'check the URL, DNS, proxy and firewall between masync and Atlassian' }];
  }
  return [reachable, { check: 'read object schemas', ok: false, detail, hint: cloud ? 'is `site` your https://<site>.atlassian.net?' : 'is `baseUrl` the Jira base URL, and `api` right for its Assets version?' }];
}

async function step(check: string, hint: string, run: () => Promise<void>): Promise<CheckResult> {
  try {
    await run();
    return { check, ok: true };
  } catch (err) {
    return { check, ok: false, detail: describeError(err), ...(err instanceof AuthError ? { hint } : {}) };
  }
}
