import { z } from 'zod';
import { MalformedResponseError } from '../../../src/errors';
import { basicAuth, oauthToken, type AuthProvider, type HttpClient } from '../../../src/http';
import type { ConnectorDeps } from '../../../src/engine/connector';
import type { ServiceNowAuth } from './config';

const tokenBody = z.object({
  access_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
});

/**
 * Basic auth, or an OAuth token from `{instance}/oauth_token.do` (client
 * credentials, or the password grant when a user is given). The token
 * request goes through its own unauthenticated client: fetching it through
 * the authenticated one would wait on itself.
 */
export function serviceNowAuth(auth: ServiceNowAuth, connector: string, tokenHttp: HttpClient, deps: Pick<ConnectorDeps, 'redactor' | 'clock'>): AuthProvider {
  if (!('clientId' in auth)) return basicAuth(auth.username, auth.password, deps.redactor);
  deps.redactor.add(auth.clientSecret);
  const form: Record<string, string> =
    'username' in auth
      ? { grant_type: 'password', client_id: auth.clientId, client_secret: auth.clientSecret, username: auth.username, password: auth.password }
      : { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret };
  if ('password' in auth) deps.redactor.add(auth.password);
  return oauthToken(
    async () => {
      // Trading credentials for a token twice is harmless, so a lost answer may be retried.
      const res = await tokenHttp.request<unknown>({ method: 'POST', path: '/oauth_token.do', form, noAuth: true, idempotent: true });
      const parsed = tokenBody.safeParse(res.data);
      if (!parsed.success) {
        const field = parsed.error.issues[0]?.path.join('.') || '(body)';
        throw new MalformedResponseError(`${connector}: POST /oauth_token.do: malformed response: ${field}`, { connector, field });
      }
      return { accessToken: parsed.data.access_token, expiresInSec: parsed.data.expires_in };
    },
    deps.redactor,
    () => deps.clock.now().getTime(),
  );
}
