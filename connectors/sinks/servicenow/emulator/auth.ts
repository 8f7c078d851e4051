import { randomBytes } from 'node:crypto';
import type { EmuRequest, EmuResponse, Route } from '../../../emulator-kit';
import { notAuthenticated } from './errors';

const TOKEN_PATH = '/oauth_token.do';

/**
 * Who may call the instance: basic-auth users, and OAuth clients that trade
 * their credentials (and, for the password grant, a user's) for a bearer
 * token at /oauth_token.do. The client-credentials grant answers only when
 * the instance property that enables it is on, as on a real instance.
 */
export class InstanceAuth {
  /** glide.oauth.inbound.client.credential.grant_type.enabled */
  clientCredentialsGrant: boolean;
  tokenLifetimeSec: number;
  private readonly users = new Map<string, string>();
  private readonly clients = new Map<string, { secret: string; user: string }>();
  /** token → when it expires, and the user it acts as. */
  private readonly tokens = new Map<string, { expires: number; user: string }>();
  private readonly now: () => number;

  constructor(opts: { clientCredentialsGrant: boolean; tokenLifetimeSec: number; now: () => number }) {
    this.clientCredentialsGrant = opts.clientCredentialsGrant;
    this.tokenLifetimeSec = opts.tokenLifetimeSec;
    this.now = opts.now;
  }

  addUser(username: string, password: string): void {
    this.users.set(username, password);
  }

  /** `user`: the OAuth application user a client-credentials token acts as (the client id when not given). */
  addClient(clientId: string, clientSecret: string, user = clientId): void {
    this.clients.set(clientId, { secret: clientSecret, user });
  }

  /** Forget every issued token, as when an admin revokes them. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  authenticate(req: EmuRequest): EmuResponse | undefined {
    if (req.path === TOKEN_PATH) return undefined;
    return this.userOf(req) === undefined ? notAuthenticated() : undefined;
  }

  /** The user a request acts as (who the instance stamps as sys_updated_by), or undefined when it is not authenticated. */
  userOf(req: EmuRequest): string | undefined {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = decoded.slice(0, colon);
      return colon > 0 && this.userOk(user, decoded.slice(colon + 1)) ? user : undefined;
    }
    if (header.startsWith('Bearer ')) {
      const token = this.tokens.get(header.slice(7));
      return token && token.expires > this.now() ? token.user : undefined;
    }
    return undefined;
  }

  tokenRoute(): Route {
    return { method: 'POST', path: TOKEN_PATH, handler: (req) => this.grant(req) };
  }

  private grant(req: EmuRequest): EmuResponse {
    const form = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, string>;
    const client = form.client_id === undefined ? undefined : this.clients.get(form.client_id);
    const clientOk = client !== undefined && client.secret === form.client_secret;
    let ok: boolean;
    let user: string;
    if (form.grant_type === 'client_credentials') [ok, user] = [this.clientCredentialsGrant && clientOk, client?.user ?? ''];
    else if (form.grant_type === 'password') [ok, user] = [clientOk && this.userOk(form.username ?? '', form.password ?? ''), form.username ?? ''];
    else return { status: 400, body: { error_description: 'Unsupported grant type', error: 'unsupported_grant_type' } };
    if (!ok) return { status: 401, body: { error_description: 'access_denied', error: 'server_error' } };
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { expires: this.now() + this.tokenLifetimeSec * 1000, user });
    return {
      status: 200,
      body: { access_token: token, refresh_token: randomBytes(24).toString('base64url'), scope: 'useraccount', token_type: 'Bearer', expires_in: this.tokenLifetimeSec },
    };
  }

  private userOk(username: string, password: string): boolean {
    return this.users.has(username) && this.users.get(username) === password;
  }
}
