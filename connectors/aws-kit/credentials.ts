import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { HttpOptions } from '../../src/config/common';
import type { Redactor } from '../../src/http/redact';
import type { AwsAccount, AwsConnection } from './config';
import { awsClientConfig, type AwsHttpLayer } from './sdk-config';

export interface AccountCredentialsOptions {
  connection: AwsConnection & { http: HttpOptions };
  /** Names the assumed-role session, so the account's CloudTrail shows which masync connector read it. */
  sessionName: string;
  redactor: Redactor;
  /** What the STS client behind assume-role sends through, like every other SDK client of the connector. */
  layer: AwsHttpLayer;
  now?: () => number;
}

// Temporary credentials are renewed this long before they expire, so no request leaves with credentials about to lapse.
const RENEW_BEFORE_MS = 5 * 60_000;
const ROLE_SESSION_SECONDS = 3600;

/**
 * Credentials per account: the base credentials (static from config, or the
 * standard provider chain), or a role in that account assumed with them. Each
 * provider is shared by every region of its account, so one AssumeRole serves
 * them all until it nears expiry; every secret it yields is registered with the
 * redactor before anything can log it.
 */
export function accountCredentials(opts: AccountCredentialsOptions): (account: AwsAccount) => AwsCredentialIdentityProvider {
  const { connection, redactor } = opts;
  const now = opts.now ?? Date.now;
  // Registered now, not on first use: a config or connection error must not be the first to print them.
  redactor.add(connection.credentials?.secretAccessKey);
  redactor.add(connection.credentials?.sessionToken);
  const base = memoize(connection.credentials ? staticProvider(connection.credentials) : fromNodeProviderChain(), redactor, now);
  const byAccount = new Map<string, AwsCredentialIdentityProvider>();
  return (account) => {
    let provider = byAccount.get(account.id);
    if (!provider) {
      provider = account.roleArn ? memoize(assumeRole(account, base, opts), redactor, now) : base;
      byAccount.set(account.id, provider);
    }
    return provider;
  };
}

function assumeRole(account: AwsAccount, base: AwsCredentialIdentityProvider, opts: AccountCredentialsOptions): AwsCredentialIdentityProvider {
  const { connection } = opts;
  const region = account.regions?.[0] ?? connection.regions?.[0] ?? 'us-east-1';
  return fromTemporaryCredentials({
    params: {
      RoleArn: account.roleArn as string,
      ...(account.externalId ? { ExternalId: account.externalId } : {}),
      RoleSessionName: opts.sessionName,
      DurationSeconds: ROLE_SESSION_SECONDS,
    },
    masterCredentials: base,
    // Regional STS in the account's first region; the same endpoint as every other call when one is configured.
    clientConfig: awsClientConfig({ region, endpoint: connection.endpoint, http: connection.http, layer: opts.layer }),
  });
}

function staticProvider(c: NonNullable<AwsConnection['credentials']>): AwsCredentialIdentityProvider {
  const identity: AwsCredentialIdentity = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
  return async () => identity;
}

/** Shares one fetch between concurrent callers and keeps the answer until shortly before it expires; a failure is not kept. */
function memoize(provider: AwsCredentialIdentityProvider, redactor: Redactor, now: () => number): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let renewAt = Infinity;
  return () => {
    if (current && now() < renewAt) return current;
    renewAt = Infinity;
    const fetching = provider().then((identity) => {
      redactor.add(identity.accessKeyId);
      redactor.add(identity.secretAccessKey);
      redactor.add(identity.sessionToken);
      if (identity.expiration) renewAt = identity.expiration.getTime() - RENEW_BEFORE_MS;
      return identity;
    });
    current = fetching;
    fetching.catch(() => {
      if (current === fetching) current = undefined;
    });
    return fetching;
  };
}
