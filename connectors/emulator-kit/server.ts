import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Chaos, type ChaosFate, type ChaosOptions } from './chaos';
import { FaultQueue, type Fault } from './faults';
import { TokenBucket, type RateLimit } from './rate-limit';
import { RequestLog, type RecordedRequest } from './request-log';
import { RoundTrips, type RoundTripShape } from './round-trips';

/**
 * The plumbing every emulator shares: a loopback HTTP server with a route
 * table, a request log tests can inspect, scripted faults and seeded chaos,
 * latency, and a token-bucket rate limiter that answers 429 + Retry-After
 * like the real APIs. Each vendor emulator supplies its routes, auth rule
 * and error body shape.
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

/** What a request carried inside another came to: an answer, or a connection dropped in its middle. */
export type NestedOutcome = EmuResponse | 'dropped';

export type Handler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

export interface Route {
  method: string;
  /** Exact path, or a pattern with named groups matched against the whole path. */
  path: string | RegExp;
  handler: Handler;
}

export type { RecordedRequest } from './request-log';

export interface EmulatorOptions {
  name: string;
  routes: Route[];
  /** An error response when the request is not allowed in, else undefined. */
  authenticate?: (req: EmuRequest) => EmuResponse | undefined;
  /** The vendor's error body for a status and message. */
  errorBody: (status: number, message: string) => unknown;
  /** The platform's own clock, for the Date header of every answer (Node's clock when absent). */
  clock?: () => number;
}

const STATUS_TEXT: Record<number, string> = { 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

export class EmulatorServer {
  readonly faults = new FaultQueue();
  /** Called with every request from the network before it is handled; tests use it to act mid-run. */
  onRequest?: (req: EmuRequest) => void;
  private readonly log = new RequestLog();
  private readonly roundTrips = new RoundTrips();
  private server?: http.Server;
  private bucket?: TokenBucket;
  private chaos?: Chaos;
  private latencyMs = 0;
  private baseUrl?: string;
  /** Delays in progress (latency, late commits, slow faults): a stopped emulator commits nothing later. */
  private readonly waits = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: EmulatorOptions) {}

  get url(): string {
    if (!this.baseUrl) throw new Error(`${this.opts.name} emulator is not started`);
    return this.baseUrl;
  }

  /** Every request received so far, sub-requests of a batch included (marked `via`). */
  get requests(): readonly RecordedRequest[] {
    return this.log.entries;
  }

  /** Forget the requests so far (a test's setup traffic), counts and round trips included. */
  clearRequests(): void {
    this.log.clear();
    this.roundTrips.reset();
  }

  /** The chain of round trips since the last `clearRequests` (or start): how deep, how wide. */
  roundTripShape(): RoundTripShape {
    return this.roundTrips.get();
  }

  /** Turn rate limiting on (or off with undefined). */
  setRateLimit(limit: RateLimit | undefined): void {
    this.bucket = limit ? new TokenBucket(limit) : undefined;
  }

  /** Turn seeded random faults on (or off with undefined); scripted `faults` still come first. */
  setChaos(opts: ChaosOptions | undefined): void {
    this.chaos = opts ? new Chaos(opts) : undefined;
  }

  /** Wait this long in front of every answer to the network, as a remote API's round trip would. */
  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** Whether the request log keeps bodies (it always keeps method, path, query and status). */
  setRequestLog(opts: { bodies: boolean }): void {
    this.log.bodies = opts.bodies;
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.send(res, { status: 500, body: this.opts.errorBody(500, err instanceof Error ? err.message : String(err)) });
      });
    });
    // As the load balancers in front of real instances do (about a minute idle). Node's 5 s let a
    // process serving several emulators, busy for seconds with one large page, close every idle
    // socket at once just as the client reused them: resets no real instance produces that often.
    this.server.keepAliveTimeout = 65_000;
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
    for (const t of this.waits) clearTimeout(t);
    this.waits.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests received so far with this method whose path starts with `pathPrefix`; counted as they arrive, never by scanning the log. */
  count(method: string, pathPrefix = ''): number {
    return this.log.count(method, pathPrefix);
  }

  error(status: number, message: string): EmuResponse {
    return { status, body: this.opts.errorBody(status, message) };
  }

  /**
   * Handle a request carried inside another (a batch's sub-request) as if it
   * came on its own: scripted faults and chaos apply, routes and handlers are
   * the same. Not authentication, rate limiting or latency: the carrying
   * request already went through those.
   */
  async dispatch(req: EmuRequest, via: string): Promise<NestedOutcome> {
    const entry = this.log.add({ method: req.method, path: req.path, query: req.query, body: req.body, via });
    const out = await this.respond(req, false);
    entry.status = out === 'dropped' ? 0 : out.status;
    return out;
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
    const entry = this.log.add({ method: emuReq.method, path: emuReq.path, query: emuReq.query, body: emuReq.body });
    const answered = this.roundTrips.arrived();
    try {
      const response = await this.respond(emuReq, true);
      if (this.latencyMs > 0) await this.sleep(this.latencyMs);
      entry.status = response === 'dropped' ? 0 : response.status;
      if (response === 'dropped') req.socket.destroy();
      else this.send(res, response);
    } finally {
      answered();
    }
  }

  private async respond(req: EmuRequest, fromNetwork: boolean): Promise<NestedOutcome> {
    const fault = this.faults.take(req.method, req.path);
    if (fault && !fault.afterHandling) {
      const out = await this.applyFault(fault);
      if (out) return out;
    }
    const fate: ChaosFate = this.chaos?.decide(req.method, req.path, fromNetwork) ?? { kind: 'pass' };
    if (fate.kind === 'refuse') return this.error(fate.status, STATUS_TEXT[fate.status] ?? 'Injected failure');
    if (fate.kind === 'throttle') return { ...this.error(429, 'Rate limit exceeded'), headers: { 'Retry-After': String(fate.retryAfterSec) } };
    if (fromNetwork) {
      const denied = this.opts.authenticate?.(req);
      if (denied) return denied;
      const wait = this.bucket?.take() ?? 0;
      if (wait > 0) return { ...this.error(429, 'Rate limit exceeded'), headers: { 'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))) } };
    }
    if (fate.kind === 'late') await this.sleep(fate.delayMs);
    const route = this.match(req);
    const result = route ? await route.handler(req) : this.error(404, `No route for ${req.method} ${req.path}`);
    // A fault after handling models "the server did the work, then the answer was lost".
    if (fault?.afterHandling) return (await this.applyFault(fault)) ?? result;
    if (fate.kind === 'lose') return fate.status === 'drop' ? 'dropped' : this.error(fate.status, STATUS_TEXT[fate.status] ?? 'Injected failure');
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

  private async applyFault(fault: Fault): Promise<NestedOutcome | undefined> {
    if (fault.delayMs) await this.sleep(fault.delayMs);
    if (fault.destroy) return 'dropped';
    if (fault.status === undefined) return undefined;
    return { status: fault.status, body: fault.body, raw: fault.raw, contentType: fault.contentType, headers: fault.headers };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waits.delete(t);
        resolve();
      }, ms);
      this.waits.add(t);
    });
  }

  private send(res: http.ServerResponse, r: EmuResponse): void {
    const headers: Record<string, string> = { ...r.headers };
    // A platform dates its answers by its own clock, which is the clock its records are stamped with.
    if (this.opts.clock) headers.Date ??= new Date(this.opts.clock()).toUTCString();
    let payload = '';
    if (r.raw !== undefined) {
      payload = r.raw;
      headers['Content-Type'] = r.contentType ?? 'text/plain';
    } else if (r.body !== undefined) {
      payload = JSON.stringify(r.body);
      headers['Content-Type'] = r.contentType ?? 'application/json';
    }
    // A client that gave up (a late commit past its timeout) has closed the socket: nobody to answer.
    if (res.destroyed) return;
    res.writeHead(r.status, headers);
    res.end(payload);
  }
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
