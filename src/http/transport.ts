import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';

/** One exchange on the wire: bytes out, bytes back, nothing interpreted. */
export interface WireRequest {
  method: string;
  /** Path and query string below the base URL, sent exactly as given. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  signal?: AbortSignal;
}

export interface WireResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
}

export type Send = (req: WireRequest) => Promise<WireResponse>;

/**
 * axios with keep-alive agents sized to the concurrency limit. It neither
 * parses, retries, redirects nor rejects on a status: all of that is the
 * client's, so errors can name the connector and never carry headers.
 */
export function createTransport(opts: { baseURL: string; timeoutMs: number; concurrency: number }): Send {
  const instance: AxiosInstance = axios.create({
    baseURL: opts.baseURL.replace(/\/+$/, ''),
    timeout: opts.timeoutMs,
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: opts.concurrency }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: opts.concurrency }),
    validateStatus: () => true,
    responseType: 'arraybuffer',
    // Bodies arrive as bytes and leave as bytes: a signed request must reach the server exactly as signed.
    transformRequest: [(d: unknown) => d],
    transformResponse: [(d: unknown) => d],
    maxRedirects: 0,
    // A path is always below the base URL, even one that looks absolute ("//elsewhere/x").
    allowAbsoluteUrls: false,
  });
  return async (req) => {
    const res = await instance.request<Buffer>({ method: req.method, url: req.url, headers: req.headers, data: req.body, signal: req.signal });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && v !== null) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    return { status: res.status, headers, body: Buffer.isBuffer(res.data) ? res.data : Buffer.alloc(0) };
  };
}

/** `?a=1&a=2` for arrays, as MLflow and most REST APIs expect; undefined values are left out. */
export function queryString(query: Record<string, string | number | boolean | undefined | ReadonlyArray<string>> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, item);
    else params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
