import { z } from 'zod';
import { ConnectorError, MalformedResponseError } from '../../../src/errors';
import { formatPath } from '../../../src/config/yaml-file';
import type { HttpClient } from '../../../src/http';

/*
 * Wire shapes. Only the fields an item is keyed on (model name, version number,
 * run id) are required; everything else MLflow may omit when empty, and unknown
 * keys (MLflow 3 adds some) are ignored.
 */
const tag = z.object({ key: z.string(), value: z.string().default('') });
const timestamp = z.number().optional();

const modelVersion = z.object({
  name: z.string().min(1),
  version: z.string().regex(/^\d+$/, 'a version number as a string'),
  creation_timestamp: timestamp,
  last_updated_timestamp: timestamp,
  user_id: z.string().optional(),
  current_stage: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  tags: z.array(tag).default([]),
});

const registeredModel = z.object({
  name: z.string().min(1),
  creation_timestamp: timestamp,
  last_updated_timestamp: timestamp,
  description: z.string().optional(),
  tags: z.array(tag).default([]),
  aliases: z.array(z.object({ alias: z.string(), version: z.string() })).default([]),
  latest_versions: z.array(z.object({ version: z.string(), current_stage: z.string().optional() })).default([]),
});

// protobuf's JSON printer writes non-finite doubles as strings.
const metricValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);

const run = z.object({
  info: z.object({
    run_id: z.string().min(1),
    run_name: z.string().optional(),
    user_id: z.string().optional(),
  }),
  data: z
    .object({
      metrics: z.array(z.object({ key: z.string(), value: metricValue, timestamp: timestamp, step: z.number().optional() })).default([]),
      params: z.array(tag).default([]),
      tags: z.array(tag).default([]),
    })
    .prefault({}),
  inputs: z
    .object({
      dataset_inputs: z
        .array(
          z.object({
            tags: z.array(tag).default([]),
            dataset: z.object({ name: z.string(), digest: z.string().optional(), source_type: z.string().optional(), source: z.string().optional() }),
          }),
        )
        .default([]),
    })
    .prefault({}),
});

const pageToken = z.string().optional();
const modelsPage = z.object({ registered_models: z.array(registeredModel).default([]), next_page_token: pageToken });
const versionsPage = z.object({ model_versions: z.array(modelVersion).default([]), next_page_token: pageToken });
const runResponse = z.object({ run });

export type RegisteredModel = z.infer<typeof registeredModel>;
export type ModelVersion = z.infer<typeof modelVersion>;
export type Run = z.infer<typeof run>;

export interface Page<T> {
  items: T[];
  /** Absent on the last page (MLflow omits the token or sends ""). */
  nextPageToken?: string;
}

const API = '/api/2.0/mlflow';

/** MLflow's `error_code` (a proxy may send it as a number). */
export function mlflowErrorCode(data: unknown): string | undefined {
  const code = data && typeof data === 'object' ? (data as Record<string, unknown>).error_code : undefined;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

/** Pulls `error_code: message` out of an MLflow error body for the HTTP layer's messages. */
export function mlflowErrorMessage(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const { error_code: code, message } = data as Record<string, unknown>;
  if (typeof code !== 'string' && typeof code !== 'number') return undefined;
  return typeof message === 'string' && message !== '' ? `${code}: ${message}` : String(code);
}

/** Wire calls to one MLflow tracking server; every response is validated before it leaves. */
export class MlflowClient {
  constructor(
    private readonly http: HttpClient,
    private readonly source: string,
    private readonly pageSize: number,
  ) {}

  async searchRegisteredModels(pageToken?: string, opts: { maxResults?: number; signal?: AbortSignal } = {}): Promise<Page<RegisteredModel>> {
    const data = await this.get('registered-models/search', { max_results: opts.maxResults ?? this.pageSize, page_token: pageToken }, opts.signal);
    const page = this.parse(modelsPage, data, describeModel);
    return { items: page.registered_models, nextPageToken: page.next_page_token || undefined };
  }

  /** Every version of every model: no filter, so no name is ever interpolated into MLflow's filter language. */
  async searchModelVersions(pageToken?: string, opts: { maxResults?: number; signal?: AbortSignal } = {}): Promise<Page<ModelVersion>> {
    const data = await this.get('model-versions/search', { max_results: opts.maxResults ?? this.pageSize, page_token: pageToken }, opts.signal);
    const page = this.parse(versionsPage, data, describeVersion);
    return { items: page.model_versions, nextPageToken: page.next_page_token || undefined };
  }

  /** The run, or undefined when MLflow no longer has it (deleted and garbage-collected). */
  async getRun(runId: string, signal?: AbortSignal): Promise<Run | undefined> {
    let data: unknown;
    try {
      data = await this.get('runs/get', { run_id: runId }, signal);
    } catch (err) {
      if (isResourceMissing(err)) return undefined;
      throw err;
    }
    return this.parse(runResponse, data, () => `run ${runId}`).run;
  }

  private async get(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<unknown> {
    const res = await this.http.request({ method: 'GET', path: `${API}/${path}`, query, signal });
    return res.data;
  }

  private parse<S extends z.ZodType>(schema: S, data: unknown, describe: (data: unknown, path: readonly PropertyKey[]) => string): z.output<S> {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const field = formatPath(path, '(body)');
    const item = describe(data, path);
    throw new MalformedResponseError(`source ${this.source}: item ${item}: field ${field}: ${issue?.message ?? 'invalid'}`, {
      connector: this.source,
      item,
      field,
    });
  }
}

// A 404 without MLflow's own code is a proxy or a wrong URL, not a missing run.
function isResourceMissing(err: unknown): boolean {
  return err instanceof ConnectorError && err.props.status === 404 && err.props.vendorCode === 'RESOURCE_DOES_NOT_EXIST';
}

/** The list element an issue path points into, when there is one. */
function element(data: unknown, path: readonly PropertyKey[]): Record<string, unknown> | undefined {
  const [list, index] = path;
  if (typeof list !== 'string' || typeof index !== 'number' || !data || typeof data !== 'object') return undefined;
  const arr = (data as Record<string, unknown>)[list];
  const el = Array.isArray(arr) ? (arr[index] as unknown) : undefined;
  return el && typeof el === 'object' ? (el as Record<string, unknown>) : undefined;
}

function describeModel(data: unknown, path: readonly PropertyKey[]): string {
  const el = element(data, path);
  if (!el) return '(registered models page)';
  return typeof el.name === 'string' ? el.name : `registered model #${String(path[1])} of the page`;
}

function describeVersion(data: unknown, path: readonly PropertyKey[]): string {
  const el = element(data, path);
  if (!el) return '(model versions page)';
  const name = typeof el.name === 'string' ? el.name : '?';
  const version = typeof el.version === 'string' || typeof el.version === 'number' ? String(el.version) : '?';
  return `${name} version ${version}`;
}
