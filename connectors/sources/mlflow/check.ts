import type { CheckResult, RunContext } from '../../../src/engine/types';
import { AuthError, MalformedResponseError, describeError } from '../../../src/errors';
import type { MlflowClient } from './client';
import type { MlflowConfig } from './config';

type AuthKind = 'token' | 'basic' | 'none';

export function authKind(config: MlflowConfig): AuthKind {
  if (!config.auth) return 'none';
  return 'token' in config.auth ? 'token' : 'basic';
}

/** What to do about a 401/403; names config keys and env vars, never their values. */
export function authHint(status: unknown, kind: AuthKind): string {
  if (status === 403) {
    return 'the credentials are valid but lack permission: grant this user READ on the registered models and on the experiments that hold their runs';
  }
  if (kind === 'token') return 'the server rejected auth.token: set a valid token (e.g. auth.token: ${MLFLOW_TRACKING_TOKEN}, a Databricks PAT or your proxy token)';
  if (kind === 'basic') {
    return 'the server rejected auth.username/auth.password: check the MLflow basic-auth user (e.g. ${MLFLOW_TRACKING_USERNAME} / ${MLFLOW_TRACKING_PASSWORD})';
  }
  return 'the server requires credentials: add auth.token (Bearer, MLFLOW_TRACKING_TOKEN) or auth.username/auth.password (MLflow basic auth)';
}

/**
 * `masync doctor` for MLflow: one request per capability the sync needs. Stops
 * at the first failure, since every later check would fail for the same reason.
 */
export async function checkMlflow(client: MlflowClient, config: MlflowConfig, ctx: RunContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const reach = `MLflow tracking server reachable at ${config.url}`;
  const credentials = 'credentials accepted';
  const kind = authKind(config);

  try {
    await client.searchRegisteredModels(undefined, { maxResults: 1, signal: ctx.signal });
    results.push({ check: reach, ok: true });
    results.push({ check: credentials, ok: true, detail: kind === 'none' ? 'no credentials configured; the server asked for none' : `${kind} auth` });
  } catch (err) {
    if (err instanceof AuthError) {
      results.push({ check: reach, ok: true });
      results.push({ check: credentials, ok: false, detail: describeError(err), hint: authHint(err.props.status, kind) });
    } else if (err instanceof MalformedResponseError) {
      results.push({
        check: reach,
        ok: false,
        detail: describeError(err),
        hint: 'something answered, but not like MLflow: set url to the tracking URI (what `mlflow server` listens on, without /api or /#/ paths)',
      });
    } else {
      results.push({ check: reach, ok: false, detail: describeError(err), hint: `check url and that the server is up (GET ${config.url.replace(/\/+$/, '')}/health answers OK)` });
    }
    return results;
  }

  const versions = 'search model versions';
  let runId: string | undefined;
  try {
    const page = await client.searchModelVersions(undefined, { signal: ctx.signal });
    runId = page.items.find((v) => v.run_id)?.run_id;
    results.push({ check: versions, ok: true });
  } catch (err) {
    results.push({ check: versions, ok: false, detail: describeError(err), hint: hintFor(err, kind, 'model-versions/search must answer for a sync') });
    return results;
  }

  const runs = 'read runs (metrics, params, datasets)';
  if (!runId) {
    results.push({ check: runs, ok: true, detail: 'no model version has a run to read yet' });
    return results;
  }
  try {
    const run = await client.getRun(runId, ctx.signal);
    results.push({ check: runs, ok: true, detail: run ? undefined : `run ${runId} is gone, but reading runs is allowed` });
  } catch (err) {
    results.push({ check: runs, ok: false, detail: describeError(err), hint: hintFor(err, kind, 'runs/get must answer to read lineage') });
  }
  return results;
}

function hintFor(err: unknown, kind: AuthKind, otherwise: string): string {
  if (err instanceof AuthError) return authHint(err.props.status, kind);
  return `${otherwise}; see the detail above`;
}
