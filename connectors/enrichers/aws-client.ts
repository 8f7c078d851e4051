import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { z } from 'zod';
import { httpUrl } from '../../src/config/common';
import { AuthError, ConnectorError } from '../../src/errors';
import type { Redactor } from '../../src/http/redact';

/*
 * How the AWS enrichers reach AWS, until connectors/aws-kit takes this over:
 * the config shape (kept identical to aws-kit's), SDK client settings per
 * account and region, and one wrapper that turns an SDK error into masync's
 * typed errors. Everything that builds an SDK client goes through here.
 */

const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');

const awsAccountSchema = z.strictObject({
  id: accountId,
  /** Role to assume in that account (cross-account read); without it the base credentials are used as they are. */
  roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'an IAM role ARN (arn:aws:iam::<account>:role/<name>)').optional(),
  externalId: z.string().min(2).max(1224).optional(),
});

const awsCredentialsSchema = z.strictObject({
  accessKeyId: z.string().min(16, 'an access key id (AKIA… or ASIA…)'),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1).optional(),
});

// Credentials belong under `credentials`, where the redactor knows them; a URL travels into logs.
const endpointUrl = httpUrl.refine((u) => {
  const parsed = new URL(u);
  return parsed.username === '' && parsed.password === '';
}, 'a URL without credentials');

/** The AWS access keys every AWS connector config shares (spread into its strictObject). */
export const awsAccessFields = {
  accounts: z
    .array(awsAccountSchema)
    .min(1, 'at least one account')
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((a, i) => {
        if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `a unique account id (${a.id} is listed twice)` });
        seen.add(a.id);
      });
    }),
  /** Base credentials, from ${ENV}; absent: the SDK's default chain (environment, profile, instance role). */
  credentials: awsCredentialsSchema.optional(),
  /** One URL for every service and region (a local emulator); absent: the real regional endpoints. */
  endpoint: endpointUrl.optional(),
};

export type AwsAccount = z.infer<typeof awsAccountSchema>;
export type AwsCredentials = z.infer<typeof awsCredentialsSchema>;
export interface AwsAccess {
  accounts: AwsAccount[];
  credentials?: AwsCredentials;
  endpoint?: string;
}

/** `account/region`: the scope a failure is reported under, as the SageMaker source names its scopes. */
export function scopeOf(account: string, region: string): string {
  return `${account}/${region}`;
}

/** The redactor learns every credential value before any client exists. */
export function registerAwsSecrets(access: AwsAccess, redactor: Redactor): void {
  redactor.add(access.credentials?.secretAccessKey);
  redactor.add(access.credentials?.sessionToken);
  for (const a of access.accounts) redactor.add(a.externalId);
}

// The SDK retries throttling (400 Throttling / LimitExceededException) and 5xx itself; 4 attempts
// ride out a burst without hiding a region that is really down.
const MAX_ATTEMPTS = 4;

export interface SdkClientSettings {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
}

// The SDK's own handler waits forever by default; a hung region must fail its scope instead.
const TIMEOUTS = { connectionTimeout: 5_000, requestTimeout: 30_000 };

/** Settings for an SDK v3 client that reads `account` in `region`. */
export function sdkClientSettings(access: AwsAccess, account: AwsAccount, region: string): SdkClientSettings {
  const base = access.credentials ? { ...access.credentials } : undefined;
  const credentials = account.roleArn
    ? fromTemporaryCredentials({
        params: { RoleArn: account.roleArn, ExternalId: account.externalId, RoleSessionName: 'masync' },
        masterCredentials: base,
        clientConfig: { region, ...(access.endpoint ? { endpoint: access.endpoint } : {}) },
      })
    : base;
  return { region, ...(access.endpoint ? { endpoint: access.endpoint } : {}), credentials, maxAttempts: MAX_ATTEMPTS, requestHandler: { ...TIMEOUTS } };
}

// Codes by which AWS refuses the caller rather than the request.
const AUTH_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
]);

const RETRYABLE_CODES = new Set(['Throttling', 'ThrottlingException', 'LimitExceededException', 'InternalServiceError', 'InternalFailure', 'ServiceUnavailable']);

/**
 * An SDK failure as one typed error naming the connector, the operation and the scope; the
 * message keeps AWS's code and text (never a header or a credential) and is redacted.
 */
export function wrapAwsError(err: unknown, where: { connector: string; operation: string; scope: string }, redactor: Redactor): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const code = err instanceof Error ? err.name : 'Error';
  const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  const text = err instanceof Error ? err.message : String(err);
  const message = redactor.redact(`${where.connector}: ${where.scope}: ${where.operation} failed: ${code}${text && text !== code ? `: ${text}` : ''}`);
  const props = { connector: where.connector, scope: where.scope, status, vendorCode: code };
  if (AUTH_CODES.has(code) || status === 401 || status === 403) return new AuthError(message, props, { cause: err });
  // No status: the request never got an answer (network, timeout), which may well pass later.
  return new ConnectorError(message, props, { cause: err, retryable: RETRYABLE_CODES.has(code) || status === undefined || status >= 500 });
}

const REJECTED_CREDENTIALS = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException', 'MissingAuthenticationToken', 'MissingAuthenticationTokenException']);

/** What to change when an AWS call failed; names config keys and permissions, never their values. */
export function awsAccessHint(err: ConnectorError, account: AwsAccount, permission: string, endpoint: string | undefined): string {
  const code = err.props.vendorCode;
  if (code === 'CredentialsProviderError') {
    return 'no AWS credentials were found: set credentials.accessKeyId and credentials.secretAccessKey (e.g. ${AWS_ACCESS_KEY_ID}, ${AWS_SECRET_ACCESS_KEY}), or run where the SDK finds some (environment, profile, instance or pod role)';
  }
  if (typeof code === 'string' && REJECTED_CREDENTIALS.has(code)) {
    return 'AWS rejected the credentials: check credentials.accessKeyId and credentials.secretAccessKey; temporary (ASIA…) keys also need credentials.sessionToken';
  }
  if (err instanceof AuthError) {
    return account.roleArn
      ? `let the base credentials assume ${account.roleArn}${account.externalId ? ' with the configured externalId' : ''}, and grant ${permission} to that role`
      : `grant ${permission} to the identity behind the credentials in account ${account.id}`;
  }
  return endpoint ? `check that ${endpoint} answers` : 'check network access to the AWS endpoints (a proxy or firewall in the way?)';
}
