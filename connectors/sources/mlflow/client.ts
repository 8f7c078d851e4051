import type { z } from 'zod';
import { ConnectorError, MalformedResponseError } from '../../../src/errors';
import { formatPath } from '../../../src/config/yaml-file';
import type { HttpClient } from '../../../src/http';
import * as wire from './wire-schemas';
import type { ModelVersion, RegisteredModel, Run } from './wire-schemas';

export type { ModelVersion, RegisteredModel, Run } from './wire-schemas';

/** A record of a page that failed validation; the rest of the page is still read. */
export interface InvalidRecord {
  /** As an operator finds it: "fraud-detector version 3", "run 0a1b…". */
  item: string;
  /** What the record says of itself, when that much is readable (to build its key). */
  name?: string;
  version?: string;
  runId?: string;
  error: MalformedResponseError;
}

export interface Page<T> {
  items: T[];
  invalid: InvalidRecord[];
  /** Absent on the last page (MLflow omits the token or sends ""). */
  nextPageToken?: string;
}

export interface RunSearch {
  experimentIds: readonly string[];
  /** Only ids of the safe alphabet: they are written into MLflow's filter language. */
  runIds: readonly string[];
  maxResults: number;
  pageToken?: string;
  signal?: AbortSignal;
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
  ) {}

  async searchRegisteredModels(pageToken: string | undefined, opts: { maxResults: number; signal?: AbortSignal }): Promise<Page<RegisteredModel>> {
    const data = await this.get('registered-models/search', { max_results: opts.maxResults, page_token: pageToken }, opts.signal);
    const page = this.parse(wire.modelsPage, data, () => '(registered models page)');
    return { ...this.parseEach(wire.registeredModel, page.registered_models, 'registered_models', describeModel), nextPageToken: page.next_page_token || undefined };
  }

  /** Every version of every model: no filter, so no name is ever interpolated into MLflow's filter language. */
  async searchModelVersions(pageToken: string | undefined, opts: { maxResults: number; signal?: AbortSignal }): Promise<Page<ModelVersion>> {
    const data = await this.get('model-versions/search', { max_results: opts.maxResults, page_token: pageToken }, opts.signal);
    const page = this.parse(wire.versionsPage, data, () => '(model versions page)');
    return { ...this.parseEach(wire.modelVersion, page.model_versions, 'model_versions', describeVersion), nextPageToken: page.next_page_token || undefined };
  }

  /** One registered model by name (a query parameter, never a filter); undefined when MLflow has none by that name. */
  async getRegisteredModel(name: string, signal?: AbortSignal): Promise<RegisteredModel | undefined> {
    const data = await this.orMissing(() => this.get('registered-models/get', { name }, signal));
    return data === undefined ? undefined : this.parse(wire.modelResponse, data, () => name).registered_model;
  }

  /** Experiment ids, deleted ones included: runs/search needs them, and a version's run may live in any. */
  async searchExperiments(pageToken: string | undefined, opts: { maxResults: number; signal?: AbortSignal }): Promise<{ ids: string[]; nextPageToken?: string }> {
    const body = { max_results: opts.maxResults, view_type: 'ALL', page_token: pageToken };
    const data = await this.post('experiments/search', body, opts.signal);
    const page = this.parse(wire.experimentsPage, data, () => '(experiments page)');
    return { ids: page.experiments.map((e) => e.experiment_id), nextPageToken: page.next_page_token || undefined };
  }

  /** Runs by id across the given experiments, deleted ones included: one call for many `runs/get`. */
  async searchRuns(q: RunSearch): Promise<Page<Run>> {
    const filter = `attributes.run_id IN (${q.runIds.map((id) => `'${this.safeRunId(id)}'`).join(', ')})`;
    const body = { experiment_ids: q.experimentIds, filter, run_view_type: 'ALL', max_results: q.maxResults, page_token: q.pageToken };
    const data = await this.post('runs/search', body, q.signal);
    const page = this.parse(wire.runsPage, data, () => '(runs page)');
    const parsed = this.parseEach(wire.run, page.runs, 'runs', describeRun);
    // A bad run nobody can name cannot be set aside for its versions alone.
    const anonymous = parsed.invalid.find((bad) => bad.runId === undefined);
    if (anonymous) throw anonymous.error;
    return { ...parsed, nextPageToken: page.next_page_token || undefined };
  }

  /** The run, or undefined when MLflow no longer has it (deleted and garbage-collected). */
  async getRun(runId: string, signal?: AbortSignal): Promise<Run | undefined> {
    const data = await this.orMissing(() => this.get('runs/get', { run_id: runId }, signal));
    return data === undefined ? undefined : this.parse(wire.runResponse, data, () => `run ${runId}`).run;
  }

  private async get(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<unknown> {
    const res = await this.http.request({ method: 'GET', path: `${API}/${path}`, query, signal });
    return res.data;
  }

  // These POSTs only read, so the HTTP layer may resend them after a 5xx or a lost answer.
  private async post(path: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    const res = await this.http.request({ method: 'POST', path: `${API}/${path}`, body, idempotent: true, signal });
    return res.data;
  }

  private async orMissing(call: () => Promise<unknown>): Promise<unknown> {
    try {
      return await call();
    } catch (err) {
      if (isResourceMissing(err)) return undefined;
      throw err;
    }
  }

  private parse<S extends z.ZodType>(schema: S, data: unknown, describe: () => string): z.output<S> {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw this.malformed(describe(), issue?.path ?? [], issue?.message);
  }

  /** Validates each record of a page on its own: the good ones are read, the bad ones named. */
  private parseEach<S extends z.ZodType>(schema: S, list: unknown[], listName: string, describe: (el: Record<string, unknown>, index: number) => Omit<InvalidRecord, 'error'>): Page<z.output<S>> {
    const page: Page<z.output<S>> = { items: [], invalid: [] };
    list.forEach((raw, index) => {
      const parsed = schema.safeParse(raw);
      if (parsed.success) {
        page.items.push(parsed.data);
        return;
      }
      const issue = parsed.error.issues[0];
      const what = describe(raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}, index);
      page.invalid.push({ ...what, error: this.malformed(what.item, [listName, index, ...(issue?.path ?? [])], issue?.message) });
    });
    return page;
  }

  private safeRunId(id: string): string {
    if (!SAFE_RUN_ID.test(id)) throw new ConnectorError(`${this.source}: run id ${JSON.stringify(id)} is outside the safe alphabet and must not enter a filter`, { connector: this.source });
    return id;
  }

  private malformed(item: string, path: readonly PropertyKey[], message = 'invalid'): MalformedResponseError {
    const field = formatPath(path, '(body)');
    return new MalformedResponseError(`source ${this.source}: item ${item}: field ${field}: ${message}`, { connector: this.source, item, field });
  }
}

/** Run ids that may be written into a filter: MLflow's are 32 hex digits; anything else is read with runs/get. */
export const SAFE_RUN_ID = /^[A-Za-z0-9]{1,64}$/;

// A 404 without MLflow's own code is a proxy or a wrong URL, not a missing record.
function isResourceMissing(err: unknown): boolean {
  return err instanceof ConnectorError && err.props.status === 404 && err.props.vendorCode === 'RESOURCE_DOES_NOT_EXIST';
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function describeModel(el: Record<string, unknown>, index: number): Omit<InvalidRecord, 'error'> {
  const name = text(el.name);
  return { item: name ?? `registered model #${index} of the page`, name };
}

function describeVersion(el: Record<string, unknown>): Omit<InvalidRecord, 'error'> {
  const name = text(el.name);
  const version = typeof el.version === 'string' && /^\d+$/.test(el.version) ? el.version : undefined;
  return { item: `${name ?? '?'} version ${version ?? (typeof el.version === 'number' ? String(el.version) : '?')}`, name, version };
}

function describeRun(el: Record<string, unknown>, index: number): Omit<InvalidRecord, 'error'> {
  const info = el.info && typeof el.info === 'object' ? (el.info as Record<string, unknown>) : {};
  const runId = text(info.run_id);
  return { item: runId ? `run ${runId}` : `run #${index} of the page`, runId };
}
