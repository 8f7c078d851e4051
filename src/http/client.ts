import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import pLimit from 'p-limit';
import { AuthError, ConnectorError, MalformedResponseError, MasyncError } from '../errors';
import type { AuthProvider } from './auth';
import type { Logger } from '../log/logger';
import type { Redactor } from './redact';
import { backoffDelay, parseRetryAfter, type RetryPolicy, DEFAULT_RETRY } from './retry';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | ReadonlyArray<string>;

export interface HttpRequest {
  method: Method;
  /** Path below the base URL, e.g. `/api/now/table/cmdb_ci`. */
  path: string;
  /** Arrays become repeated keys (`?a=1&a=2`), as MLflow and most REST APIs expect. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of `body`. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Safe to send twice. Defaults to true for everything but POST. */
  idempotent?: boolean;
  /** Skip the auth provider (token endpoints). */
  noAuth?: boolean;
  signal?: AbortSignal;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

export interface HttpClient {
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
}

export interface HttpClientOptions {
  /** Connector instance name; every error and log line starts with it. */
  name: string;
  baseURL: string;
  auth?: AuthProvider;
  timeoutMs?: number;
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Pulls the vendor's human message out of an error body. */
  errorMessage?: (data: unknown) => string | undefined;
  /** Pulls the vendor's machine-readable error code (MLflow's `error_code`) out of an error body; it lands in the error's props as `vendorCode`. */
  errorCode?: (data: unknown) => string | undefined;
  logger: Logger;
  redactor: Redactor;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const NETWORK_RETRYABLE = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
// A refused connection never reached the server, so even a POST may be sent again.
const NEVER_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  return new AxiosHttpClient(opts);
}

class AxiosHttpClient implements HttpClient {
  private readonly axios: AxiosInstance;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  /** Set by a 429: every request to this server waits, not only the one that was refused. */
  private pausedUntil = 0;

  constructor(private readonly opts: HttpClientOptions) {
    const concurrency = opts.concurrency ?? 4;
    this.limit = pLimit(concurrency);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.sleep = opts.sleep ?? abortableSleep;
    this.random = opts.random ?? Math.random;
    this.axios = axios.create({
      baseURL: opts.baseURL.replace(/\/+$/, ''),
      timeout: opts.timeoutMs ?? 30_000,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: concurrency }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: concurrency }),
      // Status handling and JSON parsing are ours, so errors can name the connector and never carry headers.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      maxRedirects: 0,
    });
  }

  async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const where = `${req.method} ${req.path}`;
    let authRetried = false;
    for (let attempt = 0; ; attempt++) {
      await this.waitForPause(req.signal);
      const started = Date.now();
      let res: { status: number; headers: Record<string, string>; body: string };
      try {
        res = await this.limit(() => this.send(req));
      } catch (err) {
        if (req.signal?.aborted) throw req.signal.reason ?? err;
        // Our own errors (a rejected OAuth token request, say) already say what went wrong.
        if (err instanceof MasyncError) throw err;
        const code = networkCode(err);
        const retryable = code !== undefined && NETWORK_RETRYABLE.has(code);
        if (retryable && (idempotent || NEVER_SENT.has(code)) && attempt < this.retry.retries) {
          const delay = backoffDelay(attempt, this.retry, this.random);
          this.opts.logger.debug(`${this.opts.name}: ${where} failed (${code}), retrying in ${delay} ms`);
          await this.sleep(delay, req.signal);
          continue;
        }
        throw new ConnectorError(`${this.opts.name}: ${where}: ${code ?? 'request failed'}: ${this.opts.redactor.redact(messageOf(err))}`, { connector: this.opts.name, code }, { retryable });
      }
      this.opts.logger.debug(`${this.opts.name}: ${where} → ${res.status} (${Date.now() - started} ms)`);

      if (res.status === 401 && this.opts.auth?.invalidate && !authRetried && !req.noAuth) {
        // A cached OAuth token may have been revoked or expired early: fetch a fresh one once.
        authRetried = true;
        this.opts.auth.invalidate();
        continue;
      }
      const retryAfter = parseRetryAfter(res.headers['retry-after'], Date.now());
      const transient = res.status === 429 || res.status === 502 || res.status === 503 || res.status === 504;
      // 429 means "not processed", so it is safe to resend anything; 5xx only what is idempotent.
      if (transient && (res.status === 429 || idempotent) && attempt < this.retry.retries) {
        const delay = retryAfter ?? backoffDelay(attempt, this.retry, this.random);
        if (delay > this.retry.maxRetryAfterMs) {
          throw this.statusError(req, res, `server asks to wait ${Math.round(delay / 1000)} s, more than the ${Math.round(this.retry.maxRetryAfterMs / 1000)} s allowed`);
        }
        if (res.status === 429) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
        this.opts.logger.warn(`${this.opts.name}: ${where} → ${res.status}, retrying in ${delay} ms (attempt ${attempt + 1} of ${this.retry.retries})`);
        await this.sleep(delay, req.signal);
        continue;
      }
      if (res.status >= 400) throw this.statusError(req, res);
      return { status: res.status, headers: res.headers, data: this.parse<T>(req, res) };
    }
  }

  private async send(req: HttpRequest): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (this.opts.auth && !req.noAuth) headers.Authorization = await this.opts.auth.header();
    let data: string | undefined;
    if (req.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      data = new URLSearchParams(req.form).toString();
    } else if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      data = JSON.stringify(req.body);
    }
    const res = await this.axios.request<string>({
      method: req.method,
      url: req.path + queryString(req.query),
      headers,
      data,
      signal: req.signal,
    });
    const outHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && v !== null) outHeaders[k.toLowerCase()] = String(v);
    return { status: res.status, headers: outHeaders, body: typeof res.data === 'string' ? res.data : '' };
  }

  private parse<T>(req: HttpRequest, res: { status: number; headers: Record<string, string>; body: string }): T {
    if (res.body.trim() === '') return undefined as T;
    const type = res.headers['content-type'] ?? '';
    if (type && !/json/i.test(type)) {
      throw new MalformedResponseError(
        `${this.opts.name}: ${req.method} ${req.path}: expected JSON but got ${type.split(';')[0]} (a proxy, login page or wrong URL?)`,
        { connector: this.opts.name, field: '(body)' },
      );
    }
    try {
      return JSON.parse(res.body) as T;
    } catch {
      throw new MalformedResponseError(`${this.opts.name}: ${req.method} ${req.path}: response body is not valid JSON`, { connector: this.opts.name, field: '(body)' });
    }
  }

  private statusError(req: HttpRequest, res: { status: number; body: string }, extra?: string): ConnectorError {
    let vendor: string | undefined;
    let vendorCode: string | undefined;
    try {
      const body: unknown = JSON.parse(res.body);
      vendor = this.opts.errorMessage?.(body);
      vendorCode = this.opts.errorCode?.(body);
    } catch {
      vendor = undefined; // not JSON: a proxy page; the status says enough
    }
    const detail = [vendor, extra].filter(Boolean).join('; ');
    const message = this.opts.redactor.redact(`${this.opts.name}: ${req.method} ${req.path} → HTTP ${res.status}${detail ? `: ${detail}` : ''}`);
    const props = { connector: this.opts.name, status: res.status, vendorCode };
    if (res.status === 401 || res.status === 403) return new AuthError(message, props);
    return new ConnectorError(message, props, { retryable: res.status === 429 || res.status >= 500 });
  }

  private async waitForPause(signal?: AbortSignal): Promise<void> {
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) await this.sleep(wait, signal);
  }
}

function queryString(query: HttpRequest['query']): string {
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

function networkCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
