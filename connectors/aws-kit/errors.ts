import { AuthError, ConnectorError, MalformedResponseError, MasyncError } from '../../src/errors';
import type { Redactor } from '../../src/http/redact';

// What AWS services (and the JS SDK's retry strategy) call throttling.
const THROTTLING = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ProvisionedThroughputExceededException', 'BandwidthLimitExceeded', 'PriorRequestNotComplete',
]);

// Rejected or missing credentials, or a principal without permission.
const AUTH = new Set([
  'AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'InvalidClientTokenId',
  'ExpiredTokenException', 'ExpiredToken', 'IncompleteSignature', 'MissingAuthenticationToken', 'MissingAuthenticationTokenException', 'NotAuthorized',
  'UnauthorizedOperation', 'AuthFailure', 'InvalidAccessKeyId', 'CredentialsProviderError',
]);

const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'TimeoutError', 'RequestTimeout']);

/** Where a failed AWS call was made, for the error message and props. */
export interface AwsCallSite {
  connector: string;
  /** `<account>/<region>`. */
  scope?: string;
  /** The API operation (`ListEndpoints`) or step (`AssumeRole`). */
  operation: string;
  /** The resource the call was about, when it was about one. */
  resource?: string;
}

/**
 * The AWS error code (`ValidationException`): from masync's HTTP layer, which
 * answers SDK requests and keeps the code in `props.vendorCode`, or from the
 * SDK itself (its credential providers); undefined for errors that never reached AWS.
 */
export function awsErrorCode(err: unknown): string | undefined {
  if (err instanceof MasyncError) return typeof err.props.vendorCode === 'string' ? err.props.vendorCode : undefined;
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { name?: unknown; $metadata?: unknown; $fault?: unknown };
  return typeof e.name === 'string' && (e.$fault !== undefined || e.$metadata !== undefined || e.name === 'CredentialsProviderError') ? e.name : undefined;
}

/**
 * An SDK error as one of masync's typed errors, wrapped once: the connector,
 * scope and operation up front, the AWS error code kept in `props.awsCode`,
 * every secret the redactor knows scrubbed. No request, header or signature is
 * carried along.
 */
export function wrapAwsError(err: unknown, site: AwsCallSite, redactor: Redactor): MasyncError {
  if (err instanceof MasyncError) return fromHttpLayer(err, site, redactor);
  const code = awsErrorCode(err);
  const status = httpStatusOf(err);
  const network = networkCode(err);
  const detail = redactor.redact(`${code ?? network ?? 'error'}: ${messageOf(err)}`);
  const where = `${site.connector}: ${[site.scope, site.operation, site.resource].filter(Boolean).join(' ')}`;
  const message = `${where}: ${detail}`;
  const props = { connector: site.connector, scope: site.scope, operation: site.operation, awsCode: code, status, code: network };
  if (code && AUTH.has(code)) return new AuthError(message, props);
  if (code === 'SyntaxError' || (status !== undefined && status < 300)) {
    return new MalformedResponseError(`${where}: the response could not be read (${detail})`, { ...props, field: '(body)' });
  }
  const retryable = (code !== undefined && THROTTLING.has(code)) || (status !== undefined && status >= 500) || (network !== undefined && NETWORK.has(network));
  return new ConnectorError(message, props, { retryable });
}

/**
 * masync's HTTP layer answers SDK requests, so most AWS errors arrive already
 * typed, with the AWS code in `props.vendorCode`: add where the call was made,
 * keep the code as `awsCode`, and classify by the code (AWS refuses a bad
 * signature with a 400, not a 401).
 */
function fromHttpLayer(err: MasyncError, site: AwsCallSite, redactor: Redactor): MasyncError {
  const code = typeof err.props.vendorCode === 'string' ? err.props.vendorCode : undefined;
  if (code === undefined || err.props.awsCode !== undefined) return err;
  const where = `${site.connector}: ${[site.scope, site.operation, site.resource].filter(Boolean).join(' ')}`;
  // The layer says `<connector>: <target> → HTTP 400: <Code>: <message>`; the call site says the rest better.
  const detail = /→ HTTP \d+: ([\s\S]*)$/.exec(err.message)?.[1] ?? err.message;
  const message = redactor.redact(`${where}: ${detail}`);
  const props = { ...err.props, connector: site.connector, scope: site.scope, operation: site.operation, awsCode: code };
  if (AUTH.has(code) || err instanceof AuthError) return new AuthError(message, props, { cause: err });
  if (err instanceof MalformedResponseError) return new MalformedResponseError(message, props, { cause: err });
  const retryable = err instanceof ConnectorError ? err.retryable : THROTTLING.has(code);
  return new ConnectorError(message, props, { cause: err, retryable });
}

function httpStatusOf(err: unknown): number | undefined {
  const meta = err && typeof err === 'object' ? (err as { $metadata?: { httpStatusCode?: unknown } }).$metadata : undefined;
  return typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : undefined;
}

function networkCode(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const { code, name } = err as { code?: unknown; name?: unknown };
  if (typeof code === 'string') return code;
  return typeof name === 'string' && NETWORK.has(name) ? name : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
