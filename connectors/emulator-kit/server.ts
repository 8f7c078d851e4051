import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultQueue, type Fault } from './faults';
import { TokenBucket, type RateLimit } from './rate-limit';

/**
 * The plumbing every emulator shares: a loopback HTTP server with a route
 * table, a request log tests can inspect, faults tests can inject, and a
 * token-bucket rate limiter that answers 429 + Retry-After like the real APIs.
 * Each vendor emulator supplies its routes, auth rule and error body shape.
 */

export interface EmuRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body; undefined when there is none. */
  body: unknown;
  rawBody: string;
  /** Named groups captured by the route's pattern. */
  params: Record<string, string>;
}

export interface EmuResponse {
  status: number;
  /** Serialised as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

export interface Route {
  method: string;
  /** Exact path, or a pattern with named groups matched against the whole path. */
  path: string | RegExp;
  handler: Handler;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  status: number;
}

export interface EmulatorOptions {
  name: string;
  routes: Route[];
  /** An error response when the request is not allowed in, else undefined. */
  authenticate?: (req: EmuRequest) => EmuResponse | undefined;
  /** The vendor's error body for a status and message. */
  errorBody: (status: number, message: string) => unknown;
}

export class EmulatorServer {
  readonly requests: RecordedRequest[] = [];
  readonly faults = new FaultQueue();
  /** Called with every request before it is handled; tests use it to act mid-run. */
  onRequest?: (req: EmuRequest) => void;
  private server?: http.Server;
  private bucket?: TokenBucket;
  private baseUrl?: string;

  constructor(private readonly opts: EmulatorOptions) {}

  get url(): string {
    if (!this.baseUrl) throw new Error(`${this.opts.name} emulator is not started`);
    return this.baseUrl;
  }

  /** Turn rate limiting on (or off with undefined). */
  setRateLimit(limit: RateLimit | undefined): void {
    this.bucket = limit ? new TokenBucket(limit) : undefined;
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.send(res, { status: 500, body: this.opts.errorBody(500, err instanceof Error ? err.message : String(err)) });
      });
    });
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', () => resolve());
    });
    const { port: bound } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${bound}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests so far with this method (and path prefix). */
  count(method: string, pathPrefix = ''): number {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).length;
  }

  error(status: number, message: string): EmuResponse {
    return { status, body: this.opts.errorBody(status, message) };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const emuReq: EmuRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: parseBody(rawBody, req.headers['content-type']),
      rawBody,
      params: {},
    };
    this.onRequest?.(emuReq);
    const response = await this.respond(emuReq);
    if (response === 'destroy') {
      this.requests.push({ method: emuReq.method, path: emuReq.path, query: emuReq.query, body: emuReq.body, status: 0 });
      req.socket.destroy();
      return;
    }
    this.requests.push({ method: emuReq.method, path: emuReq.path, query: emuReq.query, body: emuReq.body, status: response.status });
    this.send(res, response);
  }

  private async respond(req: EmuRequest): Promise<EmuResponse | 'destroy'> {
    const fault = this.faults.take(req.method, req.path);
    if (fault && !fault.afterHandling) {
      const out = await applyFault(fault);
      if (out) return out;
    }
    const denied = this.opts.authenticate?.(req);
    if (denied) return denied;
    if (this.bucket) {
      const wait = this.bucket.take();
      if (wait > 0) {
        const retryAfter = Math.max(1, Math.ceil(wait / 1000));
        return { status: 429, headers: { 'Retry-After': String(retryAfter) }, body: this.opts.errorBody(429, 'Rate limit exceeded') };
      }
    }
    const route = this.match(req);
    const result = route ? await route.handler(req) : this.error(404, `No route for ${req.method} ${req.path}`);
    // A fault after handling models "the server did the work, then the answer was lost".
    if (fault?.afterHandling) return (await applyFault(fault)) ?? result;
    return result;
  }

  private match(req: EmuRequest): Route | undefined {
    for (const route of this.opts.routes) {
      if (route.method !== req.method) continue;
      if (typeof route.path === 'string') {
        if (route.path === req.path) return route;
        continue;
      }
      const m = route.path.exec(req.path);
      if (m && m[0] === req.path) {
        req.params = { ...(m.groups ?? {}) };
        return route;
      }
    }
    return undefined;
  }

  private send(res: http.ServerResponse, r: EmuResponse): void {
    const headers: Record<string, string> = { ...r.headers };
    let payload = '';
    if (r.raw !== undefined) {
      payload = r.raw;
      headers['Content-Type'] = r.contentType ?? 'text/plain';
    } else if (r.body !== undefined) {
      payload = JSON.stringify(r.body);
      headers['Content-Type'] = r.contentType ?? 'application/json';
    }
    res.writeHead(r.status, headers);
    res.end(payload);
  }
}

async function applyFault(fault: Fault): Promise<EmuResponse | 'destroy' | undefined> {
  if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault.destroy) return 'destroy';
  if (fault.status === undefined) return undefined;
  return { status: fault.status, body: fault.body, raw: fault.raw, contentType: fault.contentType, headers: fault.headers };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
