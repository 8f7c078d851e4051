import pLimit from 'p-limit';
import { MalformedResponseError, MasyncError } from '../errors';
import type { AuthProvider } from './auth';
import type { Logger } from '../log/logger';
import type { Redactor } from './redact';
import { classifyNetworkFailure } from './network-failure';
import { ResponseErrors } from './response-errors';
import { backoffDelay, parseRetryAfter, type RetryPolicy, DEFAULT_RETRY } from './retry';
import { createTransport, queryString, type Send, type WireRequest, type WireResponse } from './transport';

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
  /** Safe to send twice (a read sent as POST, e.g. a GraphQL query). Defaults to true for everything but POST. */
  idempotent?: boolean;
  /** Skip the auth provider (token endpoints). */
  noAuth?: boolean;
  signal?: AbortSignal;
}

/**
 * A request sent exactly as given (raw mode): a pre-serialized body, and
 * headers to which nothing is added or changed, as a signed AWS request
 * needs. The auth provider is not used; the answer comes back as bytes.
 */
export interface RawHttpRequest {
  method: Method;
  /** Path and query string below the base URL, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Safe to send twice. Defaults to true for everything but POST. */
  idempotent?: boolean;
  /** Names the request in logs and errors instead of method and path (an AWS operation). */
  label?: string;
  signal?: AbortSignal;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

/**
 * The one HTTP layer. Idempotent requests are retried through network errors
 * and 500/502/503/504; a 429 (or a response `throttled` says is one) waits as
 * Retry-After says on a budget of its own; a request that is not idempotent
 * is never sent twice when it may have landed (OutcomeUnknownError).
 */
export interface HttpClient {
  /** JSON in, JSON out. */
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
  /** Bytes in, bytes out, with the same retries and limits; an error status throws as in `request`. */
  raw(req: RawHttpRequest): Promise<HttpResponse<Buffer>>;
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
  errorCode?: (data: unknown, headers: Record<string, string>) => string | undefined;
  /** Says that an error answer means "slow down" although its status is not 429 (AWS throttles with HTTP 400); it is then treated as a 429. */
  throttled?: (status: number, data: unknown, headers: Record<string, string>) => boolean;
  logger: Logger;
  redactor: Redactor;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** One request as the retry loop sees it, in either mode. */
interface Exchange {
  where: string;
  idempotent: boolean;
  /** May fetch a fresh token and send again once after a 401. */
  reauth: boolean;
  signal?: AbortSignal;
  wire(): Promise<WireRequest>;
}

const TRANSIENT = new Set([500, 502, 503, 504]);

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  return new RetryingHttpClient(opts);
}

class RetryingHttpClient implements HttpClient {
  private readonly send: Send;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly retry: RetryPolicy;
  private readonly errors: ResponseErrors;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  /** Set by a 429: every request to this server waits, not only the one that was refused. */
  private pausedUntil = 0;

  constructor(private readonly opts: HttpClientOptions) {
    const concurrency = opts.concurrency ?? 4;
    this.limit = pLimit(concurrency);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.send = createTransport({ baseURL: opts.baseURL, timeoutMs: opts.timeoutMs ?? 30_000, concurrency });
    this.errors = new ResponseErrors(opts);
    this.sleep = opts.sleep ?? abortableSleep;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
  }

  async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const where = `${req.method} ${req.path}`;
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const reauth = Boolean(this.opts.auth?.invalidate) && !req.noAuth;
    const res = await this.exchange({ where, idempotent, reauth, signal: req.signal, wire: () => this.jsonWire(req) });
    try {
      return { status: res.status, headers: res.headers, data: this.errors.parseJson<T>(where, res) };
    } catch (err) {
      // The write went through or not, but its answer is unreadable: only a lookup can tell.
      if (!idempotent && err instanceof MalformedResponseError) throw this.errors.outcomeUnknown(where, err.message, { status: res.status }, err);
      throw err;
    }
  }

  async raw(req: RawHttpRequest): Promise<HttpResponse<Buffer>> {
    const where = req.label ?? `${req.method} ${req.path}`;
    const idempotent = req.idempotent ?? req.method !== 'POST';
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength);
    const wire: WireRequest = { method: req.method, url: req.path, headers: { ...req.headers }, body, signal: req.signal };
    const res = await this.exchange({ where, idempotent, reauth: false, signal: req.signal, wire: async () => wire });
    return { status: res.status, headers: res.headers, data: res.body };
  }

  /** Sends until an answer below 400, retrying as the rules allow; throws a typed error otherwise. */
  private async exchange(x: Exchange): Promise<WireResponse> {
    const started = this.now();
    let errorRetries = 0;
    let rateLimited = 0;
    let reauthed = false;
    for (;;) {
      let sentAt = this.now();
      let res: WireResponse;
      try {
        res = await this.limit(async () => {
          await this.waitForPause(x.signal);
          sentAt = this.now();
          return this.send(await x.wire());
        });
      } catch (err) {
        if (x.signal?.aborted) throw x.signal.reason ?? err;
        // Our own errors (a rejected OAuth token request, say) already say what went wrong.
        if (err instanceof MasyncError) throw err;
        const failure = classifyNetworkFailure(err);
        if (failure.maybeSent && !x.idempotent) throw this.errors.outcomeUnknown(x.where, this.errors.networkMessage(x.where, err, failure), { code: failure.code });
        if (failure.retryable && errorRetries < this.retry.retries) {
          await this.backoff(x, errorRetries++, `failed (${failure.code ?? 'request failed'})`);
          continue;
        }
        throw this.errors.network(x.where, err, failure);
      }
      this.opts.logger.debug(`${this.opts.name}: ${x.where} → ${res.status} (${this.now() - sentAt} ms)`);
      if (res.status < 400) return res;

      if (res.status === 401 && x.reauth && !reauthed) {
        // A cached OAuth token may have been revoked or expired early: fetch a fresh one once.
        reauthed = true;
        this.opts.auth?.invalidate?.();
        continue;
      }
      const answer = this.errors.read(res);
      const retryAfter = parseRetryAfter(res.headers['retry-after'], this.now());
      const tooLong = retryAfter !== undefined && retryAfter > this.retry.maxRetryAfterMs;
      const tooLongNote = `server asks to wait ${seconds(retryAfter ?? 0)} s, more than the ${seconds(this.retry.maxRetryAfterMs)} s allowed (http.maxRetryAfterSec)`;

      if (answer.throttled) {
        // "Not processed, slow down": safe to send again whatever the method, on the rate-limit budget.
        if (tooLong) throw this.errors.status(x.where, res, answer, tooLongNote, false);
        // Never less than the base delay: "Retry-After: 0" or a jitter near zero must not turn into a tight loop.
        const delay = Math.max(retryAfter ?? backoffDelay(rateLimited, this.retry, this.random), this.retry.baseDelayMs);
        const waited = this.now() - started;
        if (waited + delay > this.retry.rateLimitWaitMs) {
          const note = `still rate limited after ${seconds(waited)} s; waiting ${seconds(delay)} s more would pass the ${seconds(this.retry.rateLimitWaitMs)} s allowed (http.rateLimitWaitSec)`;
          throw this.errors.status(x.where, res, answer, note, false);
        }
        rateLimited++;
        this.pausedUntil = Math.max(this.pausedUntil, this.now() + delay);
        const why = res.status === 429 ? '' : ` ${answer.vendorCode ?? 'throttled'}`;
        this.opts.logger.warn(`${this.opts.name}: ${x.where} → ${res.status}${why}, retrying in ${delay} ms (rate limited for ${seconds(waited)} s so far)`);
        continue; // the pause above holds this request as it holds every other
      }
      if (TRANSIENT.has(res.status)) {
        if (!x.idempotent) throw this.errors.outcomeUnknown(x.where, this.errors.statusMessage(x.where, res.status, answer), { status: res.status, vendorCode: answer.vendorCode });
        if (tooLong) throw this.errors.status(x.where, res, answer, tooLongNote, false);
        if (errorRetries < this.retry.retries) {
          await this.backoff(x, errorRetries++, `→ ${res.status}`, retryAfter);
          continue;
        }
      }
      throw this.errors.status(x.where, res, answer);
    }
  }

  private async backoff(x: Exchange, attempt: number, what: string, retryAfter?: number): Promise<void> {
    const delay = retryAfter ?? backoffDelay(attempt, this.retry, this.random);
    this.opts.logger.warn(`${this.opts.name}: ${x.where} ${what}, retrying in ${delay} ms (retry ${attempt + 1} of ${this.retry.retries})`);
    await this.sleep(delay, x.signal);
  }

  private async jsonWire(req: HttpRequest): Promise<WireRequest> {
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (this.opts.auth && !req.noAuth) headers.Authorization = await this.opts.auth.header();
    let body: Buffer | undefined;
    if (req.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = Buffer.from(new URLSearchParams(req.form).toString(), 'utf8');
    } else if (req.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = Buffer.from(JSON.stringify(req.body), 'utf8');
    }
    return { method: req.method, url: req.path + queryString(req.query), headers, body, signal: req.signal };
  }

  private async waitForPause(signal?: AbortSignal): Promise<void> {
    const wait = this.pausedUntil - this.now();
    if (wait > 0) await this.sleep(wait, signal);
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
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
