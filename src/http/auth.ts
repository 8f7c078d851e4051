import type { Redactor } from './redact';

/** Produces the Authorization header for a request; one per connector instance. */
export interface AuthProvider {
  header(): Promise<string>;
  /** Forget a cached token after the server rejected it, so the next call fetches a new one. */
  invalidate?(): void;
}

export function basicAuth(username: string, password: string, redactor: Redactor): AuthProvider {
  redactor.add(password);
  const value = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  redactor.add(value.slice('Basic '.length));
  return { header: async () => value };
}

export function bearerAuth(token: string, redactor: Redactor): AuthProvider {
  redactor.add(token);
  return { header: async () => `Bearer ${token}` };
}

/** Fetches an access token; given to `oauthClientCredentials` by the connector that knows the token endpoint. */
export type TokenFetcher = () => Promise<{ accessToken: string; expiresInSec: number }>;

/**
 * OAuth 2.0 client-credentials: caches the token until shortly before it
 * expires, and shares one in-flight fetch between concurrent requests.
 */
export function oauthToken(fetchToken: TokenFetcher, redactor: Redactor, now: () => number = Date.now): AuthProvider {
  let cached: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  return {
    async header() {
      if (cached && cached.expiresAt > now()) return `Bearer ${cached.token}`;
      inflight ??= fetchToken()
        .then(({ accessToken, expiresInSec }) => {
          redactor.add(accessToken);
          // Renew a minute early so a request never leaves with a token that expires in flight.
          cached = { token: accessToken, expiresAt: now() + Math.max(0, expiresInSec - 60) * 1000 };
          return accessToken;
        })
        .finally(() => {
          inflight = undefined;
        });
      return `Bearer ${await inflight}`;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
