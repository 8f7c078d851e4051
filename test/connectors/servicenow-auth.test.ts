import { SANDBOX_CREDENTIALS } from '../../connectors/sinks/servicenow/fixtures/sandbox';
import { AuthError } from '../../src/errors';
import type { Clock } from '../../src/engine/types';
import { collect } from '../support/deps';
import { BASIC_AUTH, startServiceNow, type ServiceNowFixture } from './servicenow-setup';

const CLIENT = { clientId: SANDBOX_CREDENTIALS.clientId, clientSecret: SANDBOX_CREDENTIALS.clientSecret };
const TOKEN_PATH = '/oauth_token.do';

function authHeaders(fx: ServiceNowFixture): string[] {
  const seen: string[] = [];
  fx.emu.server.onRequest = (req) => {
    if (req.path !== TOKEN_PATH) seen.push(String(req.headers.authorization ?? ''));
  };
  return seen;
}

describe('ServiceNow sink authentication', () => {
  let fx: ServiceNowFixture;
  afterEach(() => fx.teardown());

  it('sends basic auth on every request and never asks for a token', async () => {
    fx = await startServiceNow({ auth: BASIC_AUTH });
    const headers = authHeaders(fx);
    await collect(fx.sink.readManaged(fx.ctx()));
    expect(headers.length).toBeGreaterThan(0);
    expect(headers.every((h) => h.startsWith('Basic '))).toBe(true);
    expect(fx.emu.server.count('POST', TOKEN_PATH)).toBe(0);
  });

  it('fetches an OAuth client-credentials token once, and again after it expires', async () => {
    let now = Date.parse('2026-11-23T12:00:00Z');
    const clock: Clock = { now: () => new Date(now) };
    fx = await startServiceNow({ auth: CLIENT, clock, pageSize: 1, emulator: { clientCredentialsGrant: true, tokenLifetimeSec: 600, now: () => now } });
    const headers = authHeaders(fx);
    const ctx = fx.ctx();
    await collect(fx.sink.readManaged(ctx));
    await collect(fx.sink.readRelations(ctx));
    expect(fx.emu.server.count('POST', TOKEN_PATH)).toBe(1);
    expect(headers.length).toBeGreaterThan(2);
    expect(new Set(headers).size).toBe(1);
    expect(headers[0]).toMatch(/^Bearer /);
    now += 601_000;
    await collect(fx.sink.readManaged(ctx));
    expect(fx.emu.server.count('POST', TOKEN_PATH)).toBe(2);
    // Renewed before use, not after a refusal.
    expect(fx.emu.server.requests.filter((r) => r.status === 401)).toEqual([]);
  });

  it('fetches a new token when the instance rejects the cached one', async () => {
    fx = await startServiceNow({ auth: CLIENT, emulator: { clientCredentialsGrant: true } });
    await collect(fx.sink.readManaged(fx.ctx()));
    fx.emu.revokeTokens();
    fx.emu.server.clearRequests();
    await collect(fx.sink.readManaged(fx.ctx()));
    expect(fx.emu.server.count('POST', TOKEN_PATH)).toBe(1);
    // The read's listings go out side by side: each is refused once, and all share the one new token.
    const refused = fx.emu.server.requests.filter((r) => r.status === 401).map((r) => r.path);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused).size).toBe(refused.length);
    for (const path of refused) expect(fx.emu.server.requests.some((r) => r.path === path && r.status === 200)).toBe(true);
  });

  it('uses the password grant when a user is configured', async () => {
    fx = await startServiceNow({ auth: { ...CLIENT, ...BASIC_AUTH } });
    await collect(fx.sink.readManaged(fx.ctx()));
    const tokenRequest = fx.emu.server.requests.find((r) => r.path === TOKEN_PATH);
    expect(tokenRequest?.body).toMatchObject({ grant_type: 'password', username: BASIC_AUTH.username });
    expect(tokenRequest?.status).toBe(200);
  });

  it.each([
    ['password', { username: BASIC_AUTH.username, password: 'wrong-password-1234' }, 'wrong-password-1234'],
    ['client secret', { clientId: CLIENT.clientId, clientSecret: 'wrong-client-secret-1234' }, 'wrong-client-secret-1234'],
    ['password grant', { ...CLIENT, username: BASIC_AUTH.username, password: 'wrong-password-5678' }, 'wrong-password-5678'],
  ])('a rejected %s gives an AuthError and appears in no log or error', async (_label, auth, secret) => {
    fx = await startServiceNow({ auth, emulator: { clientCredentialsGrant: true } });
    const err = await collect(fx.sink.readManaged(fx.ctx())).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toContain('snow-test');
    const checks = await fx.sink.check(fx.ctx());
    const everything = [(err as Error).message, JSON.stringify((err as AuthError).props), JSON.stringify(checks), ...fx.deps.logger.lines].join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(SANDBOX_CREDENTIALS.clientSecret);
  });
});
