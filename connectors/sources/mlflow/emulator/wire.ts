import type { EmuResponse } from '../../../emulator-kit';
import { invalidParameter, type MlflowApiError } from './api-error';
import type { MetricPoint, StoredExperiment, StoredModel, StoredRun, StoredVersion } from './records';
import type { RegistryStore } from './registry-store';

/*
 * JSON as MLflow renders its protos: snake_case, int64 timestamps as numbers,
 * `version` as a string, empty lists and unset fields left out.
 */

const STATUS: Record<string, number> = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  TEMPORARILY_UNAVAILABLE: 503,
};

const CODE_FOR_STATUS: Record<number, string> = {
  400: 'INVALID_PARAMETER_VALUE',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'ENDPOINT_NOT_FOUND',
  429: 'REQUEST_LIMIT_EXCEEDED',
  503: 'TEMPORARILY_UNAVAILABLE',
};

export function errorBody(status: number, message: string): { error_code: string; message: string } {
  return { error_code: CODE_FOR_STATUS[status] ?? 'INTERNAL_ERROR', message };
}

export function errorResponse(err: MlflowApiError): EmuResponse {
  return { status: STATUS[err.code] ?? 500, body: { error_code: err.code, message: err.message } };
}

type Json = Record<string, unknown>;

/** Drops undefined fields and empty lists, as MLflow's JSON printer does (an empty search is `{}`). */
export function compact(o: Json): Json {
  // A plain loop: this runs for every record of every page, and entries/filter/fromEntries showed in profiles.
  const out: Json = {};
  for (const key in o) {
    const v = o[key];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[key] = v;
  }
  return out;
}

function tagList(tags: Map<string, string>): Json[] {
  return [...tags].map(([key, value]) => ({ key, value }));
}

export function renderVersion(v: StoredVersion, aliases?: string[]): Json {
  return compact({
    name: v.name,
    version: v.version,
    creation_timestamp: v.createdAt,
    last_updated_timestamp: v.updatedAt,
    user_id: v.userId,
    current_stage: v.stage,
    description: v.description ?? '',
    source: v.source,
    run_id: v.runId,
    status: v.status,
    tags: tagList(v.tags),
    run_link: '',
    aliases,
  });
}

export function renderModel(m: StoredModel, store: RegistryStore): Json {
  return compact({
    name: m.name,
    creation_timestamp: m.createdAt,
    last_updated_timestamp: m.updatedAt,
    description: m.description,
    latest_versions: store.latestVersions(m.name).map((v) => renderVersion(v)),
    tags: tagList(m.tags),
    aliases: [...m.aliases].map(([alias, version]) => ({ alias, version })),
  });
}

/**
 * runs/get and runs/search alike: only the latest value of each metric
 * (latest timestamp, then the larger value), as MLflow's latest_metrics hold it.
 */
export function renderRun(r: StoredRun): Json {
  return {
    info: compact({
      run_id: r.runId,
      run_uuid: r.runId,
      run_name: r.runName,
      experiment_id: r.experimentId,
      user_id: r.userId,
      status: r.status,
      start_time: r.startTime,
      end_time: r.endTime,
      artifact_uri: `mlflow-artifacts:/${r.experimentId}/${r.runId}/artifacts`,
      lifecycle_stage: r.lifecycleStage,
    }),
    data: compact({
      metrics: latestMetrics(r.metrics),
      params: tagList(r.params),
      tags: tagList(r.tags),
    }),
    inputs: compact({
      dataset_inputs: r.datasets.map((d) =>
        compact({
          tags: d.context === undefined ? [] : [{ key: 'mlflow.data.context', value: d.context }],
          dataset: compact({ name: d.name, digest: d.digest, source_type: d.sourceType, source: d.source }),
        }),
      ),
    }),
  };
}

/** The latest point of each metric key: latest timestamp, then the larger value. */
export function latestMetrics(points: readonly MetricPoint[]): MetricPoint[] {
  const latest = new Map<string, MetricPoint>();
  for (const m of points) {
    const prev = latest.get(m.key);
    if (!prev || m.timestamp > prev.timestamp || (m.timestamp === prev.timestamp && m.value > prev.value)) latest.set(m.key, m);
  }
  return [...latest.values()];
}

export function renderExperiment(e: StoredExperiment): Json {
  return compact({
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.updatedAt,
    creation_time: e.createdAt,
    tags: tagList(e.tags),
  });
}

/** Page tokens are base64 of `{"offset": n}`: opaque to clients, as MLflow's SQL store makes them. */
export function paginate<T>(items: readonly T[], maxResults: number, pageToken: string | undefined): { page: T[]; nextPageToken?: string } {
  const offset = pageToken ? decodeToken(pageToken) : 0;
  const page = items.slice(offset, offset + maxResults);
  const end = offset + page.length;
  return { page, nextPageToken: end < items.length ? Buffer.from(JSON.stringify({ offset: end })).toString('base64') : undefined };
}

function decodeToken(token: string): number {
  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown }).offset;
  } catch {
    offset = undefined;
  }
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw invalidParameter(`Invalid page token, could not base64-decode: ${token}`);
  }
  return offset;
}
