import { randomBytes } from 'node:crypto';
import type { EmuRequest, EmuResponse } from '../../../emulator-kit';
import type { EmuRole, EmuUser } from './model';

/**
 * Jira accounts and how they sign in: Cloud with an email and API token
 * (Basic), Data Center with a personal access token (Bearer). Cloud ids are
 * opaque account ids, Data Center ones user keys (JIRAUSER10100).
 */
export class Directory {
  readonly users = new Map<string, EmuUser>();
  private readonly secrets = new Map<string, string>();
  private nextKey = 10100;

  constructor(private readonly cloud: boolean) {}

  add(u: { name: string; email: string; displayName?: string; role?: EmuRole; emailHidden?: boolean; active?: boolean; secret?: string }): EmuUser {
    const id = this.cloud ? `712020:${randomBytes(12).toString('hex')}` : `JIRAUSER${this.nextKey++}`;
    const user: EmuUser = {
      id,
      name: u.name,
      email: u.email,
      displayName: u.displayName ?? u.name,
      active: u.active ?? true,
      emailHidden: u.emailHidden ?? false,
      role: u.role ?? 'user',
    };
    this.users.set(id, user);
    if (u.secret !== undefined) this.secrets.set(this.cloud ? `${u.email}:${u.secret}` : u.secret, id);
    return user;
  }

  /** The account a request signs in as, or the 401 Jira answers. */
  caller(req: EmuRequest): EmuUser | EmuResponse {
    const header = req.headers.authorization ?? '';
    const scheme = this.cloud ? 'Basic ' : 'Bearer ';
    const raw = header.startsWith(scheme) ? header.slice(scheme.length) : undefined;
    const secret = raw === undefined ? undefined : this.cloud ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    const user = secret === undefined ? undefined : this.users.get(this.secrets.get(secret) ?? '');
    if (user?.active) return user;
    return {
      status: 401,
      headers: { 'WWW-Authenticate': this.cloud ? 'Basic realm="atlassian"' : 'Bearer realm="jira"' },
      body: { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} },
    };
  }

  /**
   * Cloud `user/search?query=`: a prefix of the display name (any word) or of
   * the email; a hidden email is matched only whole, and not shown. Data
   * Center `user/search?username=`: a prefix of the username, name or email.
   */
  search(text: string): EmuUser[] {
    const q = text.toLowerCase();
    if (q === '') return [];
    return [...this.users.values()].filter((u) => {
      const name = u.displayName.toLowerCase();
      const byName = name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q));
      const email = u.email.toLowerCase();
      const byEmail = u.emailHidden ? email === q : email.startsWith(q);
      return byName || byEmail || (!this.cloud && u.name.toLowerCase().startsWith(q));
    });
  }

  render(u: EmuUser): unknown {
    if (this.cloud) return { accountId: u.id, accountType: 'atlassian', displayName: u.displayName, active: u.active, ...(u.emailHidden ? {} : { emailAddress: u.email }) };
    return { key: u.id, name: u.name, displayName: u.displayName, emailAddress: u.email, active: u.active };
  }
}

const RANK: Record<EmuRole, number> = { user: 0, developer: 1, manager: 2, admin: 3 };

/** Assets roles: users read, developers write objects, managers change a schema's types, admins create schemas. */
export function allowed(user: EmuUser, needs: EmuRole): boolean {
  return RANK[user.role] >= RANK[needs];
}
