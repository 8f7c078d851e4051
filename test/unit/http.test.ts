import { EmulatorServer } from '../../connectors/emulator-kit';
import { AuthError, MalformedResponseError, OutcomeUnknownError } from '../../src/errors';
import { bearerAuth, createHttpClient, oauthToken, type HttpClient } from '../../src/http';
import { Redactor } from '../../src/http/redact';
import { MemoryLogger } from '../support/deps';

const TOKEN = 'tok-SECRET-1234567890';

function server() {
  let hits = 0;
  const emu = new EmulatorServer({
    name: 'test',
    errorBody: (status, message) => ({ error: { message, status } }),
    authenticate: (req) => (req.headers.authorization === `Bearer ${TOKEN}` || req.path === '/token' ? undefined : { status: 401, body: { error: { message: 'bad token' } } }),
    routes: [
      { method: 'GET', path: '/ok', handler: () => ({ status: 200, body: { n: ++hits } }) },
      { method: 'POST', path: '/create', handler: () => ({ status: 201, body: { id: String(++hits) } }) },
      { method: 'GET', path: '/html', handler: () => ({ status: 200, raw: '<html>login</html>', contentType: 'text/html' }) },
      { method: 'GET', path: '/echo', handler: (req) => ({ status: 200, body: { q: req.query.getAll('a') } }) },
    ],
  });
  return emu;
}

describe('HTTP layer', () => {
  let emu: EmulatorServer;
  let logger: MemoryLogger;
  let redactor: Redactor;
  let http: HttpClient;
  beforeEach(async () => {
    emu = server();
    await emu.start();
    redactor = new Redactor();
    logger = new MemoryLogger(redactor);
    http = createHttpClient({ name: 'svc', baseURL: emu.url, auth: bearerAuth(TOKEN, redactor), logger, redactor, retry: { baseDelayMs: 1, maxDelayMs: 5 }, errorMessage: (d) => (d as { error?: { message?: string } }).error?.message });
  });
  afterEach(() => emu.stop());

  it('retries a GET through 503s and a dropped connection', async () => {
    emu.faults.inject({ path: '/ok', status: 503, times: 2 });
    emu.faults.inject({ path: '/ok', destroy: true });
    const res = await http.request<{ n: number }>({ method: 'GET', path: '/ok' });
    expect(res.data.n).toBe(1);
    expect(emu.requests.filter((r) => r.path === '/ok')).toHaveLength(4);
  });

  it('honours Retry-After on 429, even for a POST', async () => {
    emu.faults.inject({ path: '/create', status: 429, headers: { 'Retry-After': '0' } });
    const res = await http.request<{ id: string }>({ method: 'POST', path: '/create', body: {} });
    expect(res.status).toBe(201);
    expect(emu.count('POST', '/create')).toBe(2);
    expect(logger.lines.join('\n')).toMatch(/→ 429, retrying/);
  });

  it('does not resend a POST after a 5xx: it may have been done', async () => {
    emu.faults.inject({ path: '/create', status: 502, afterHandling: true });
    await expect(http.request({ method: 'POST', path: '/create', body: {} })).rejects.toThrow(OutcomeUnknownError);
    expect(emu.count('POST', '/create')).toBe(1);
  });

  it('gives up when Retry-After is longer than allowed', async () => {
    const slow = createHttpClient({ name: 'svc', baseURL: emu.url, auth: bearerAuth(TOKEN, redactor), logger, redactor, retry: { maxRetryAfterMs: 1000 } });
    emu.faults.inject({ path: '/ok', status: 429, headers: { 'Retry-After': '3600' } });
    await expect(slow.request({ method: 'GET', path: '/ok' })).rejects.toThrow(/asks to wait 3600 s, more than the 1 s allowed/);
  });

  it('a rejected credential is an AuthError that names the connector and never shows the token', async () => {
    const bad = createHttpClient({ name: 'svc', baseURL: emu.url, auth: bearerAuth('wrong-token-abcdef', redactor), logger, redactor, errorMessage: (d) => (d as { error?: { message?: string } }).error?.message });
    const err = await bad.request({ method: 'GET', path: '/ok' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toBe('svc: GET /ok → HTTP 401: bad token');
    expect(JSON.stringify(err)).not.toContain('wrong-token-abcdef');
  });

  it('an HTML page where JSON was expected is a malformed response', async () => {
    await expect(http.request({ method: 'GET', path: '/html' })).rejects.toThrow(MalformedResponseError);
    await expect(http.request({ method: 'GET', path: '/html' })).rejects.toThrow(/expected JSON but got text\/html/);
  });

  it('sends arrays as repeated query keys', async () => {
    const res = await http.request<{ q: string[] }>({ method: 'GET', path: '/echo', query: { a: ['x', 'y z'], b: undefined } });
    expect(res.data.q).toEqual(['x', 'y z']);
  });

  it('OAuth: one token fetch for concurrent requests, a fresh one after a 401', async () => {
    let fetches = 0;
    let current = TOKEN;
    const auth = oauthToken(async () => {
      fetches++;
      return { accessToken: current, expiresInSec: 1800 };
    }, redactor);
    const client = createHttpClient({ name: 'svc', baseURL: emu.url, auth, logger, redactor });
    await Promise.all([1, 2, 3].map(() => client.request({ method: 'GET', path: '/ok' })));
    expect(fetches).toBe(1);
    current = 'revoked-token-xyz';
    auth.invalidate?.();
    await expect(client.request({ method: 'GET', path: '/ok' })).rejects.toThrow(AuthError);
    expect(fetches).toBe(3); // the rejected token, then one retry with a fresh fetch
  });
});

describe('Redactor', () => {
  it('scrubs registered secrets and credential-shaped text', () => {
    const r = new Redactor();
    r.add('hunter22');
    expect(r.redact('password hunter22 in Authorization: Bearer abc.def.ghi and ?access_token=xyz&x=1')).toBe(
      'password [REDACTED] in Authorization: Bearer [REDACTED] and ?access_token=[REDACTED]&x=1',
    );
    expect(r.redactValue({ nested: { clientSecret: 'anything', note: 'has hunter22' } })).toEqual({ nested: { clientSecret: '[REDACTED]', note: 'has [REDACTED]' } });
  });
});
