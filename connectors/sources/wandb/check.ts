import type { CheckResult, RunContext } from '../../../src/engine/types';
import { AuthError, ConnectorError, MalformedResponseError, describeError } from '../../../src/errors';
import type { WandbClient } from './client';
import { LEGACY_REGISTRY_PROJECT, uiBase, type WandbConfig } from './config';
import { PROJECT_QUERY, VIEWER_QUERY } from './queries';
import { WandbReader } from './reader';
import { projectAccessSchema, viewerSchema } from './wire';

/** What to do about a rejected key; names the config key and the env var, never a value. */
export function authHint(status: unknown, ui: string): string {
  if (status === 403) return 'the API key is valid but may not read this: use a key of a user (or service account) that is a member of the team and of each registry';
  return `W&B rejected apiKey: set apiKey: \${WANDB_API_KEY} to a key from ${ui}/authorize (User settings → API keys; a self-hosted server issues its own)`;
}

/**
 * `masync doctor` for W&B: the API answers, the key is accepted, and every
 * configured project and registry can be read. Stops after a failed
 * reachability or credentials check, since every later one would fail too.
 */
export async function checkWandb(client: WandbClient, config: WandbConfig, ctx: RunContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const reach = `W&B API reachable at ${config.url}`;
  const credentials = 'API key accepted';
  try {
    const data = await client.query('Viewer', VIEWER_QUERY, {}, ctx.signal);
    const viewer = client.parse(viewerSchema, data, 'viewer').viewer;
    results.push({ check: reach, ok: true });
    if (!viewer) {
      results.push({ check: credentials, ok: false, detail: 'W&B answered, but knows no user for this key', hint: authHint(401, uiBase(config)) });
      return results;
    }
    results.push({ check: credentials, ok: true, detail: `as ${viewer.username ?? viewer.id}` });
  } catch (err) {
    if (err instanceof AuthError) {
      results.push({ check: reach, ok: true });
      results.push({ check: credentials, ok: false, detail: describeError(err), hint: authHint(err.props.status, uiBase(config)) });
    } else if (err instanceof MalformedResponseError || (err instanceof ConnectorError && err.props.status === 404)) {
      results.push({
        check: reach,
        ok: false,
        detail: describeError(err),
        hint: "something answered, but not W&B's GraphQL API: set url to the API base URL (https://api.wandb.ai, or your server's base URL, without /graphql)",
      });
    } else {
      results.push({ check: reach, ok: false, detail: describeError(err), hint: `check url and that the server is up (POST ${config.url.replace(/\/+$/, '')}/graphql must answer)` });
    }
    return results;
  }

  const entity = config.entity;
  if (config.registries) results.push(await checkRegistries(client, config, config.registries, ctx));
  if (entity && config.legacyRegistry) results.push(await checkProject(client, config, entity, LEGACY_REGISTRY_PROJECT, ctx));
  for (const project of config.projects) if (entity) results.push(await checkProject(client, config, entity, project, ctx));
  return results;
}

async function checkProject(client: WandbClient, config: WandbConfig, entity: string, project: string, ctx: RunContext): Promise<CheckResult> {
  const legacy = project === LEGACY_REGISTRY_PROJECT;
  const check = legacy ? `legacy model registry ${entity}/${project} readable` : `project ${entity}/${project} readable`;
  const type = config.artifactTypes[0] ?? 'model';
  try {
    const data = await client.query('ProjectAccess', PROJECT_QUERY, { entity, project, type }, ctx.signal);
    const found = client.parse(projectAccessSchema, data, `project ${entity}/${project}`).project;
    if (!found) {
      return {
        check,
        ok: false,
        detail: `W&B knows no project ${entity}/${project} for this key`,
        hint: legacy
          ? `the entity has no legacy Model Registry (or the key cannot see it): set legacyRegistry: false, or check entity`
          : `check the name under projects (W&B names are case-sensitive; see ${uiBase(config)}/${entity}) and that the key's user is a member of team ${entity}`,
      };
    }
    return { check, ok: true, detail: found.artifactType ? undefined : `no "${type}" artifacts logged yet` };
  } catch (err) {
    return { check, ok: false, detail: describeError(err), hint: err instanceof AuthError ? authHint(err.props.status, uiBase(config)) : 'see the detail above; a sync cannot read this project until it answers' };
  }
}

async function checkRegistries(client: WandbClient, config: WandbConfig, registries: NonNullable<WandbConfig['registries']>, ctx: RunContext): Promise<CheckResult> {
  const check = `registries of organization ${registries.organization} readable`;
  try {
    const found = await new WandbReader(client).registries(registries.organization, registries.names, ctx.signal);
    const detail = found.projects.length ? found.projects.join(', ') : 'the organization has no registries yet';
    return { check, ok: true, detail };
  } catch (err) {
    const hint =
      err instanceof AuthError
        ? authHint(err.props.status, uiBase(config))
        : registries.names
          ? 'check registries.organization (the name in the Registry URL, wandb.ai/orgs/<organization>/registry) and registries.names (e.g. "model" for wandb-registry-model), and that the key\'s user is a member of each registry'
          : 'check registries.organization: the name in the Registry URL, wandb.ai/orgs/<organization>/registry';
    return { check, ok: false, detail: describeError(err), hint };
  }
}
