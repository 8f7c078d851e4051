import { z } from 'zod';
import type { DesiredRecord, FieldLookup, RunContext } from '../../../src/engine/types';
import { parseWire } from './parse';
import type { RunState } from './run-state';
import type { AssetsTransport } from './transport';
import { jiraUser, type JiraUser } from './wire';

export interface OwnerEnv {
  transport: AssetsTransport;
  state: RunState;
  connector: string;
  /** Cloud: a bare owner name `alice` is looked up as `alice@<emailDomain>`. */
  emailDomain?: string;
}

type Found = { id: string; label: string } | null;

/**
 * Turn each User attribute's value (an owner's email or username) into the
 * account id (Cloud) or user key (Data Center) Assets stores. A value is
 * matched exactly, never guessed from a display name: one active user or
 * none. A value that names nobody is removed from the record, so masync
 * neither clears nor overwrites what a person set, and warns once. Every
 * distinct owner is looked up at once (Jira finds users one query at a time).
 */
export async function resolveOwners(records: DesiredRecord[], env: OwnerEnv, ctx: RunContext): Promise<void> {
  const distinct = new Map<string, { value: string; lookup: FieldLookup }>();
  for (const rec of records) {
    for (const [field, lookup] of Object.entries(rec.lookups)) {
      const value = rec.fields[field];
      if (value !== undefined && value !== '') distinct.set(userKey(lookup, value), { value, lookup });
    }
  }
  const found = new Map<string, Found>();
  await Promise.all([...distinct].map(async ([key, { value, lookup }]) => found.set(key, await findUser(value, lookup, env, ctx))));
  for (const rec of records) {
    for (const [field, lookup] of Object.entries(rec.lookups)) {
      const value = rec.fields[field];
      if (value === undefined) continue;
      const user = value === '' ? null : (found.get(userKey(lookup, value)) ?? null);
      if (user) {
        rec.fields[field] = user.id;
        rec.labels = { ...rec.labels, [field]: user.label };
      } else delete rec.fields[field];
    }
    // The values are account ids now; resolving them again would look an id up as a name.
    rec.lookups = {};
  }
}

function userKey(lookup: FieldLookup, value: string): string {
  return `${lookup.match.join(',')}\u0000${value}`;
}

async function findUser(value: string, lookup: FieldLookup, env: OwnerEnv, ctx: RunContext): Promise<Found> {
  const key = userKey(lookup, value);
  const known = env.state.users.get(key);
  if (known !== undefined) return known;
  const settle = (found: Found, why?: string): Found => {
    env.state.users.set(key, found);
    if (why) ctx.logger.warn(`${env.connector}: owner "${value}" ${why}; masync leaves the attribute unwritten`);
    return found;
  };
  const cloud = env.transport.deployment === 'cloud';
  for (const by of lookup.match) {
    let hits: JiraUser[];
    if (by === 'email') {
      const email = value.includes('@') ? value : env.emailDomain ? `${value}@${env.emailDomain}` : undefined;
      if (!email) continue;
      hits = (await search(email, env, ctx)).filter((u) => byEmail(u, email));
    } else {
      if (cloud) continue; // Jira Cloud has no usernames
      hits = (await search(value, env, ctx)).filter((u) => u.name === value);
    }
    const id = (u: JiraUser) => (cloud ? u.accountId : u.key) ?? '';
    if (hits.length === 1 && id(hits[0] as JiraUser) !== '') return settle({ id: id(hits[0] as JiraUser), label: (hits[0] as JiraUser).displayName || value });
    if (hits.length > 1) return settle(null, `matches ${hits.length} Jira users by ${by}, so it names none`);
  }
  const hint =
    cloud && !value.includes('@') && !env.emailDomain
      ? 'is not an email address, and Jira Cloud finds users only by email (set emailDomain to look bare names up as name@domain)'
      : `matches no active Jira user by ${lookup.match.join(' or ')}`;
  return settle(null, hint);
}

/**
 * The user has this email. Cloud leaves out an email its owner hides, yet
 * still finds the account by the whole address: a user without one that the
 * query cannot have found by display name was found by email.
 */
function byEmail(u: JiraUser, email: string): boolean {
  const q = email.toLowerCase();
  if (u.emailAddress) return u.emailAddress.toLowerCase() === q;
  const name = u.displayName.toLowerCase();
  return !name.startsWith(q) && !name.split(/\s+/).some((w) => w.startsWith(q));
}

/** Active people only: deactivated accounts and Cloud app accounts never own a model. */
async function search(text: string, env: OwnerEnv, ctx: RunContext): Promise<JiraUser[]> {
  const cloud = env.transport.deployment === 'cloud';
  const path = cloud ? '/rest/api/3/user/search' : '/rest/api/2/user/search';
  const res = await env.transport.jira({ method: 'GET', path, query: cloud ? { query: text, maxResults: 50 } : { username: text, maxResults: 50 } }, ctx);
  const users = parseWire(z.array(jiraUser), res.data, { connector: env.connector, what: `GET ${path}` });
  return users.filter((u) => u.active && (u.accountType === undefined || u.accountType === 'atlassian'));
}
