import { EmulatorServer, type EmuRequest } from '../../connectors/emulator-kit';
import { ConnectorError, MalformedResponseError, OutcomeUnknownError } from '../../src/errors';
import { bearerAuth, createHttpClient, type HttpClientOptions } from '../../src/http';
import { Redactor } from '../../src/http/redact';
import { MemoryLogger } from '../support/deps';

const TOKEN = 'tok-RETRY-0123456789';
const BASE_DELAY = 100;

/**
 * A loopback server and a client whose sleeps are recorded and advance a fake
 * clock instead of waiting, so backoff and Retry-After are checked by value.
 */
async function setup(overrides: Partial<HttpClientOptions> = {}) {
  const seen: EmuRequest[] = [];
  const emu = new EmulatorServer({
    name: 'retry',
    errorBody: (status, message) => ({ error: { message, status } }),
    routes: [
      { method: 'GET', path: '/ok', handler: () => ({ status: 200, body: { ok: true } }) },
      { method: 'POST', path: '/create', handler: () => ({ status: 201, body: { id: String(seen.length) } }) },
      { method: 'POST', path: '/graphql', handler: () => ({ status: 200, body: { data: { models: [] } } }) },
    ],
  });
  emu.onRequest = (req) => void seen.push(req);
  await emu.start();
  const redactor = new Redactor();
  const logger = new MemoryLogger(redactor);
  const clock = { t: Math.floor(Date.now() / 1000) * 1000 };
  const sleeps: number[] = [];
  const http = createHttpClient({
    name: 'svc',
    baseURL: emu.url,
    auth: bearerAuth(TOKEN, redactor),
    logger,
    redactor,
    errorMessage: (d) => (d as { error?: { message?: string } }).error?.message,
    retry: { retries: 3, baseDelayMs: BASE_DELAY, maxDelayMs: 10_000 },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.t += ms;
    },
    now: () => clock.t,
    random: () => 0.5,
    ...overrides,
  });
  const sent = (method: string, path: string) => seen.filter((r) => r.method === method && r.path === path).length;
  return { emu, http, logger, sleeps, clock, sent };
}

type Setup = Awaited<ReturnType<typeof setup>>;
let s: Setup;
afterEach(() => s.emu.stop());

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(err)}`);
  return err;
}

describe('idempotent requests retry 5xx with exponential backoff and full jitter', () => {
  it.each([500, 502, 503, 504])('a GET is retried through HTTP %i', async (status) => {
    s = await setup();
    s.emu.faults.inject({ path: '/ok', status, times: 2 });
    const res = await s.http.request<{ ok: boolean }>({ method: 'GET', path: '/ok' });
    expect(res.data.ok).toBe(true);
    expect(s.sent('GET', '/ok')).toBe(3);
    // random() = 0.5 of a ceiling that doubles: full jitter spans 0..ceiling.
    expect(s.sleeps).toEqual([BASE_DELAY / 2, BASE_DELAY]);
  });

  it('a read sent as POST and marked idempotent (a GraphQL query) is retried', async () => {
    s = await setup();
    s.emu.faults.inject({ path: '/graphql', status: 500 });
    s.emu.faults.inject({ path: '/graphql', destroy: true });
    const res = await s.http.request<{ data: unknown }>({ method: 'POST', path: '/graphql', body: { query: '{ models }' }, idempotent: true });
    expect(res.data).toEqual({ data: { models: [] } });
    expect(s.sent('POST', '/graphql')).toBe(3);
  });

  it('gives up after `retries` retries with an error naming the connector, request and status', async () => {
    s = await setup();
    s.emu.faults.inject({ path: '/ok', status: 500, times: 10, body: { error: { message: 'Internal error' } } });
    const err = await failure(s.http.request({ method: 'GET', path: '/ok' }));
    expect(err.message).toBe('svc: GET /ok → HTTP 500: Internal error');
    expect(err.props).toMatchObject({ connector: 'svc', status: 500 });
    expect(err.retryable).toBe(true);
    expect(s.sent('GET', '/ok')).toBe(4);
  });

  it('does not retry a 4xx', async () => {
    s = await setup();
    s.emu.faults.inject({ path: '/ok', status: 404 });
    const err = await failure(s.http.request({ method: 'GET', path: '/ok' }));
    expect(err.props.status).toBe(404);
    expect(s.sent('GET', '/ok')).toBe(1);
  });
});

describe('a request that is not idempotent is never re-sent after an ambiguous failure', () => {
  const body = { name: 'body-value-never-logged' };

  it.each([500, 502, 503, 504])('a POST answered %i is sent once and its outcome is unknown', async (status) => {
    s = await setup();
    s.emu.faults.inject({ path: '/create', status, afterHandling: true, body: { error: { message: 'upstream trouble' } } });
    const err = await failure(s.http.request({ method: 'POST', path: '/create', body }));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toMatch(new RegExp(`^svc: POST /create → HTTP ${status}: upstream trouble; outcome unknown`));
    expect(err.props).toMatchObject({ connector: 'svc', status, request: 'POST /create' });
    expect(s.sent('POST', '/create')).toBe(1);
    expect(s.sleeps).toEqual([]);
    const everything = JSON.stringify([err, err.message, err.props, err.cause ?? null]) + s.logger.lines.join('\n');
    expect(everything).not.toContain('body-value-never-logged');
    expect(everything).not.toContain(TOKEN);
  });

  it('a POST whose connection drops after the server took it is sent once', async () => {
    s = await setup();
    s.emu.faults.inject({ path: '/create', destroy: true, afterHandling: true });
    const err = await failure(s.http.request({ method: 'POST', path: '/create', body }));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.props.code).toBe('ECONNRESET');
    expect(s.sent('POST', '/create')).toBe(1);
  });

  it('a POST that times out is sent once', async () => {
    s = await setup({ timeoutMs: 20 });
    s.emu.faults.inject({ path: '/create', delayMs: 300 });
    const err = await failure(s.http.request({ method: 'POST', path: '/create', body }));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(s.sent('POST', '/create')).toBe(1);
  });

  it('a POST whose 2xx answer cannot be read is sent once', async () => {
    s = await setup();
    s.emu.faults.inject({ path: '/create', afterHandling: true, status: 201, raw: '<html>gateway</html>', contentType: 'text/html' });
    const err = await failure(s.http.request({ method: 'POST', path: '/create', body }));
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.cause).toBeInstanceOf(MalformedResponseError);
    expect(err.message).toMatch(/^svc: POST \/create: expected JSON but got text\/html .*; outcome unknown/);
  });

  it('a POST to a server that refuses the connection is retried: it was never sent', async () => {
    s = await setup();
    const refused = s.emu.url;
    await s.emu.stop();
    const http = createHttpClient({ name: 'svc', baseURL: refused, logger: s.logger, redactor: new Redactor(), retry: { retries: 2, baseDelayMs: 1 }, sleep: async (ms) => void s.sleeps.push(ms) });
    const err = await failure(http.request({ method: 'POST', path: '/create', body }));
    expect(err).not.toBeInstanceOf(OutcomeUnknownError);
    expect(err.props.code).toBe('ECONNREFUSED');
    expect(s.sleeps).toHaveLength(2);
  });

  it('a 4xx on a POST is a plain error, not an unknown outcome', async () => {
    s = await setup();
    s.emu.faults.inject({ path: '/create', status: 400, body: { error: { message: 'bad field' } } });
    const err = await failure(s.http.request({ method: 'POST', path: '/create', body }));
    expect(err).not.toBeInstanceOf(OutcomeUnknownError);
    expect(err.message).toBe('svc: POST /create → HTTP 400: bad field');
  });
});

describe('429 and Retry-After', () => {
  it('has its own budget: more 429s than `retries` still end in success', async () => {
    s = await setup({ retry: { retries: 1, baseDelayMs: BASE_DELAY } });
    s.emu.faults.inject({ path: '/ok', status: 429, headers: { 'Retry-After': '2' }, times: 4 });
    s.emu.faults.inject({ path: '/ok', status: 503 });
    const res = await s.http.request<{ ok: boolean }>({ method: 'GET', path: '/ok' });
    expect(res.data.ok).toBe(true);
    expect(s.sent('GET', '/ok')).toBe(6);
    expect(s.sleeps).toEqual([2000, 2000, 2000, 2000, BASE_DELAY / 2]);
  });

  it('re-sends a POST refused with 429: it was not processed', async () => {
    s = await setup();
    s.emu.faults.inject({ path: '/create', status: 429, headers: { 'Retry-After': '1' }, times: 2 });
    const res = await s.http.request({ method: 'POST', path: '/create', body: {} });
    expect(res.status).toBe(201);
    expect(s.sent('POST', '/create')).toBe(3);
  });

  it('backs off exponentially when a 429 carries no Retry-After', async () => {
    s = await setup();
    s.emu.faults.inject({ path: '/ok', status: 429, times: 4 });
    await s.http.request({ method: 'GET', path: '/ok' });
    // Full jitter of a doubling ceiling, never below the base delay.
    expect(s.sleeps).toEqual([BASE_DELAY, 100, 200, 400]);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    s = await setup();
    s.emu.faults.inject({ path: '/ok', status: 429, headers: { 'Retry-After': new Date(s.clock.t + 30_000).toUTCString() } });
    await s.http.request({ method: 'GET', path: '/ok' });
    expect(s.sleeps).toEqual([30_000]);
  });

  it.each([
    ['seconds', () => '3600'],
    ['an HTTP date', () => new Date(s.clock.t + 3_600_000).toUTCString()],
  ])('fails at once, never re-sending, when Retry-After (%s) is longer than maxRetryAfterSec', async (_label, retryAfter) => {
    s = await setup({ retry: { maxRetryAfterMs: 60_000 } });
    for (const [method, path] of [['GET', '/ok'], ['POST', '/create']] as const) {
      s.emu.faults.inject({ path, status: 429, headers: { 'Retry-After': retryAfter() } });
      const err = await failure(s.http.request({ method, path, body: method === 'POST' ? {} : undefined }));
      expect(err.message).toContain('server asks to wait 3600 s, more than the 60 s allowed (http.maxRetryAfterSec)');
      expect(err).not.toBeInstanceOf(OutcomeUnknownError);
      // Trying again at once is exactly what the server refused: callers must not treat this as transient.
      expect(err.retryable).toBe(false);
      expect(s.sent(method, path)).toBe(1);
    }
    expect(s.sleeps).toEqual([]);
  });

  it('gives up once the rate-limit waits would pass rateLimitWaitSec', async () => {
    s = await setup({ retry: { rateLimitWaitMs: 10_000 } });
    s.emu.faults.inject({ path: '/ok', status: 429, headers: { 'Retry-After': '3' }, times: 100 });
    const err = await failure(s.http.request({ method: 'GET', path: '/ok' }));
    expect(err.message).toMatch(/still rate limited after 9 s; waiting 3 s more would pass the 10 s allowed \(http\.rateLimitWaitSec\)/);
    expect(err.retryable).toBe(false);
    expect(s.sent('GET', '/ok')).toBe(4);
  });

  it('pauses every request to the server, not only the refused one', async () => {
    const gates: Array<() => void> = [];
    const sleeps: number[] = [];
    s = await setup({
      now: Date.now,
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise<void>((resolve) => gates.push(resolve));
      },
    });
    s.emu.faults.inject({ path: '/ok', status: 429, headers: { 'Retry-After': '5' } });
    const first = s.http.request({ method: 'GET', path: '/ok' });
    await until(() => gates.length === 1);
    const second = s.http.request({ method: 'POST', path: '/create', body: {} });
    await until(() => gates.length === 2);
    expect(s.sent('POST', '/create')).toBe(0);
    expect(sleeps[1]).toBeGreaterThan(0);
    gates.forEach((open) => open());
    await Promise.all([first, second]);
    expect(s.sent('POST', '/create')).toBe(1);
  });
});

describe('a hard stop', () => {
  it('ends a request waiting out a 429 at once, without sending it again', async () => {
    s = await setup({ sleep: undefined, now: undefined });
    s.emu.faults.inject({ path: '/ok', status: 429, headers: { 'Retry-After': '60' } });
    const stop = new AbortController();
    s.emu.onRequest = () => setTimeout(() => stop.abort(new Error('hard stop')), 20);
    await expect(s.http.request({ method: 'GET', path: '/ok', signal: stop.signal })).rejects.toThrow('hard stop');
    expect(s.emu.requests).toHaveLength(1);
  });
});

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setImmediate(r));
}

