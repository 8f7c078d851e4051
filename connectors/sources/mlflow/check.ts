import type { CheckResult, RunContext } from '../../../src/engine/types';
import { AuthError, ConnectorError, MalformedResponseError, describeError } from '../../../src/errors';
import { SAFE_RUN_ID, type MlflowClient } from './client';
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
 * `masync doctor` for MLflow: one request for each kind of call a sync makes
 * (registered models, versions, experiments, runs). Stops at the first
 * failure, since every later check would fail for the same reason.
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

  const step = async <T>(check: string, call: () => Promise<T>, otherwise: string): Promise<T | undefined> => {
    try {
      return await call();
    } catch (err) {
      results.push({ check, ok: false, detail: describeError(err), hint: hintFor(err, kind, otherwise) });
      return undefined;
    }
  };

  const versions = await step('search model versions', () => client.searchModelVersions(undefined, { maxResults: PROBE_SIZE, signal: ctx.signal }), 'model-versions/search must answer for a sync');
  if (!versions) return results;
  results.push({ check: 'search model versions', ok: true });
  const runId = versions.items.find((v) => v.run_id)?.run_id;

  const experimentsCheck = 'search experiments (deleted ones included)';
  const experiments = await step(experimentsCheck, () => client.searchExperiments(undefined, { maxResults: config.pageSize, signal: ctx.signal }), 'experiments/search must answer to find runs');
  if (!experiments) return results;
  results.push({ check: experimentsCheck, ok: true, detail: `${experiments.ids.length}${experiments.nextPageToken ? '+' : ''} experiment(s)` });

  const runs = 'read runs (metrics, params, datasets)';
  if (!runId || experiments.ids.length === 0) {
    results.push({ check: runs, ok: true, detail: 'no model version has a run to read yet' });
    return results;
  }
  const search = () =>
    SAFE_RUN_ID.test(runId)
      ? client.searchRuns({ experimentIds: experiments.ids, runIds: [runId], maxResults: 1, signal: ctx.signal }).then((p) => p.items.length > 0)
      : client.getRun(runId, ctx.signal).then((run) => run !== undefined);
  const found = await step(runs, search, 'runs/search must answer to read lineage');
  if (found !== undefined) results.push({ check: runs, ok: true, detail: found ? undefined : `run ${runId} was not found, but reading runs is allowed` });
  return results;
}

// Enough versions to find one with a run, few enough to answer at once.
const PROBE_SIZE = 100;

function hintFor(err: unknown, kind: AuthKind, otherwise: string): string {
  if (err instanceof AuthError) return authHint(err.props.status, kind);
  const status = err instanceof ConnectorError ? err.props.status : undefined;
  if (status === 404 || status === 405) {
    return 'the server (or a proxy in front of it) does not answer this call: experiments/search needs MLflow 1.28 or later, and the POST searches (experiments/search, runs/search) must be let through';
  }
  return `${otherwise}; see the detail above`;
}
