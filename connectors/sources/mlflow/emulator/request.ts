import type { EmuRequest, EmuResponse, Handler, Route } from '../../../emulator-kit';
import { MlflowApiError, invalidParameter } from './api-error';
import type { ViewType } from './tracking-store';
import { errorResponse } from './wire';

const API = '/api/2.0/mlflow';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];
type MlflowHandler = (req: EmuRequest) => unknown;

// Flask answers a known path with the wrong method itself, before MLflow sees it: an HTML page.
const METHOD_NOT_ALLOWED =
  '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';

/**
 * Routes for one endpoint: each handler returns the JSON body (or throws
 * MlflowApiError); every method it lacks answers 405. Writes must carry
 * `Content-Type: application/json`, as MLflow 2.9 insists.
 */
export function endpoint(path: string, handlers: Partial<Record<Method, MlflowHandler>>): Route[] {
  const allow = Object.keys(handlers).join(', ');
  return METHODS.map((method) => {
    const handler = handlers[method];
    const wrapped: Handler = handler
      ? (req) => run(req, handler)
      : () => ({ status: 405, raw: METHOD_NOT_ALLOWED, contentType: 'text/html; charset=utf-8', headers: { Allow: allow } });
    return { method, path: `${API}/${path}`, handler: wrapped };
  });
}

function run(req: EmuRequest, handler: MlflowHandler): EmuResponse {
  try {
    if (req.method !== 'GET' && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      throw invalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
    }
    return { status: 200, body: handler(req) };
  } catch (err) {
    if (err instanceof MlflowApiError) return errorResponse(err);
    throw err;
  }
}

/** A request field: the query string for GET, the JSON body otherwise (DELETE may use either). */
export function param(req: EmuRequest, key: string): string | undefined {
  if (req.method !== 'GET' && req.body && typeof req.body === 'object') {
    const v = (req.body as Record<string, unknown>)[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v !== undefined && v !== null) throw invalidParameter(`Invalid value for parameter '${key}'.`);
  }
  return req.query.get(key) ?? undefined;
}

export function required(req: EmuRequest, key: string): string {
  const v = param(req, key);
  if (v === undefined || v === '') throw invalidParameter(`Missing value for required parameter '${key}'. See the API docs for more information about request parameters.`);
  return v;
}

/** A repeated field: repeated query keys for GET, a JSON array otherwise. */
export function list(req: EmuRequest, key: string): string[] {
  if (req.method === 'GET') return req.query.getAll(key);
  const v = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>)[key] : undefined;
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalidParameter(`Invalid value for parameter '${key}': expected a list of strings.`);
  return v as string[];
}

export function versionParam(req: EmuRequest): string {
  const v = required(req, 'version');
  if (!/^\d+$/.test(v)) throw invalidParameter(`Model version must be an integer, got '${v}'.`);
  return v;
}

export function maxResults(req: EmuRequest, fallback: number, limit: number): number {
  const raw = param(req, 'max_results');
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalidParameter(`Invalid value for request parameter max_results. It must be a positive integer, but got value ${raw}`);
  if (n > limit) throw invalidParameter(`Invalid value for request parameter max_results. It must be at most ${limit}, but got value ${n}`);
  return n;
}

/** `tags: [{key, value}]` from a create request. */
export function tagsParam(req: EmuRequest): Record<string, string> {
  const v = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>).tags : undefined;
  if (v === undefined) return {};
  const ok = Array.isArray(v) && v.every((t) => t && typeof t === 'object' && typeof t.key === 'string' && ['string', 'undefined'].includes(typeof t.value));
  if (!ok) throw invalidParameter("Invalid value for parameter 'tags': expected a list of {key, value}.");
  return Object.fromEntries((v as Array<{ key: string; value?: string }>).map((t) => [t.key, t.value ?? '']));
}

const VIEW_TYPES: Record<string, ViewType> = { ACTIVE_ONLY: 'ACTIVE_ONLY', DELETED_ONLY: 'DELETED_ONLY', ALL: 'ALL', '1': 'ACTIVE_ONLY', '2': 'DELETED_ONLY', '3': 'ALL' };

/** A ViewType field, by enum name (as MLflow's clients send it) or number; ACTIVE_ONLY when absent. */
export function viewType(req: EmuRequest, key: string): ViewType {
  const raw = param(req, key);
  if (raw === undefined) return 'ACTIVE_ONLY';
  const view = VIEW_TYPES[raw];
  if (!view) throw invalidParameter(`Invalid value for parameter '${key}': ${raw}. Valid values are ACTIVE_ONLY, DELETED_ONLY, ALL.`);
  return view;
}
