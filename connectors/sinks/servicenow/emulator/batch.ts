import type { EmulatorServer, EmuRequest, EmuResponse, Route } from '../../../emulator-kit';
import { errorBody } from './errors';

/**
 * Whether the instance serves the Batch API: `on`; `no-role`, the answer a
 * user gets without the role the API's ACL asks for (403); `inactive`, the
 * answer when the API is switched off or absent (400, "Requested URI does
 * not represent any resource").
 */
export type BatchApiMode = 'on' | 'no-role' | 'inactive';

// The "REST Batch API request timeout" transaction quota: what is left after it is not serviced.
const TRANSACTION_LIMIT_MS = 30_000;
const PATH = /^\/api\/now(?:\/v[12])?\/batch$/;

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers: Array<{ name: string; value: string }>;
  body?: string;
  exclude_response_headers?: boolean;
}

/**
 * POST /api/now/v1/batch: each sub-request is decoded and handed to the same
 * routes as a request of its own, in order, through the kit's `dispatch` (so
 * scripted faults and chaos can hit one sub-request); the answers come back
 * base64-encoded in `serviced_requests`. A sub-request whose connection the
 * faults drop cuts the batch there: it and the rest are `unserviced_requests`,
 * as when the instance's transaction quota ends a batch.
 */
export function batchRoute(server: () => EmulatorServer, mode: () => BatchApiMode): Route {
  return {
    method: 'POST',
    path: PATH,
    handler: async (req) => {
      const m = mode();
      if (m === 'no-role') return { status: 403, body: errorBody('User Not Authorized', 'The user does not have the role the Batch API requires') };
      if (m === 'inactive') return { status: 400, body: errorBody('Requested URI does not represent any resource', null) };
      const subs = parse(req.body);
      if (!subs) return { status: 400, body: errorBody('Exception while reading request', 'rest_requests: an array of {id, method, url} is required') };
      const started = Date.now();
      const serviced: unknown[] = [];
      const unserviced: string[] = [];
      for (const sub of subs) {
        if (unserviced.length > 0 || Date.now() - started > TRANSACTION_LIMIT_MS) {
          unserviced.push(sub.id);
          continue;
        }
        const t0 = Date.now();
        const out = await server().dispatch(subRequest(sub, req), req.path);
        if (out === 'dropped') unserviced.push(sub.id);
        else serviced.push(servicedEntry(sub, out, Date.now() - t0));
      }
      const batchId = (req.body as { batch_request_id?: unknown }).batch_request_id;
      return { status: 200, body: { batch_request_id: typeof batchId === 'string' ? batchId : '', serviced_requests: serviced, unserviced_requests: unserviced } };
    },
  };
}

function parse(body: unknown): SubRequest[] | undefined {
  const list = (body as { rest_requests?: unknown } | undefined)?.rest_requests;
  if (!Array.isArray(list)) return undefined;
  const out: SubRequest[] = [];
  for (const r of list as Array<Record<string, unknown>>) {
    if (typeof r?.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') return undefined;
    const headers = Array.isArray(r.headers) ? (r.headers as Array<{ name: unknown; value: unknown }>).filter((h) => typeof h?.name === 'string' && typeof h.value === 'string') : [];
    out.push({ id: r.id, method: r.method.toUpperCase(), url: r.url, headers: headers as SubRequest['headers'], body: typeof r.body === 'string' ? r.body : undefined, exclude_response_headers: r.exclude_response_headers === true });
  }
  return out;
}

/** The sub-request as a request of its own, in the batch's session (its headers, auth included, carry over). */
function subRequest(sub: SubRequest, outer: EmuRequest): EmuRequest {
  const url = new URL(sub.url, 'http://emulator');
  const headers = { ...outer.headers };
  for (const h of sub.headers) headers[h.name.toLowerCase()] = h.value;
  const rawBody = sub.body === undefined ? '' : Buffer.from(sub.body, 'base64').toString('utf8');
  let body: unknown;
  try {
    body = rawBody === '' ? undefined : JSON.parse(rawBody);
  } catch {
    body = rawBody;
  }
  return { method: sub.method, path: decodeURIComponent(url.pathname), query: url.searchParams, headers, body, rawBody, params: {} };
}

function servicedEntry(sub: SubRequest, out: EmuResponse, executionTime: number): unknown {
  const payload = out.raw ?? (out.body === undefined ? '' : JSON.stringify(out.body));
  const headers = Object.entries(out.headers ?? {}).map(([name, value]) => ({ name, value }));
  if (payload !== '') headers.push({ name: 'Content-Type', value: out.contentType ?? (out.raw !== undefined ? 'text/plain' : 'application/json') });
  return {
    id: sub.id,
    body: Buffer.from(payload, 'utf8').toString('base64'),
    status_code: out.status,
    status_text: STATUS_TEXT[out.status] ?? '',
    headers: sub.exclude_response_headers ? [] : headers,
    execution_time: executionTime,
  };
}
