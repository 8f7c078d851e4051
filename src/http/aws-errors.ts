/**
 * How AWS JSON protocols (awsJson1_0, awsJson1_1) name an error, read the way
 * the JS SDK reads it, so masync's HTTP layer can name, classify and retry
 * AWS errors itself.
 */

// The codes the JS SDK retries as throttling (@smithy/core retry, aws.md §1); AWS sends them with HTTP 400.
const THROTTLING = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/**
 * The error code: the query-compatible header (CloudWatch's JSON 1.0 adds
 * `x-amzn-query-error: Code;Sender`), then body `__type`, then body `code`,
 * then `X-Amzn-ErrorType`; `ns#Code:uri` is cut to `Code`.
 */
export function awsErrorCode(data: unknown, headers: Record<string, string>): string | undefined {
  const raw = headers['x-amzn-query-error']?.split(';')[0] || field(data, '__type') || field(data, 'code') || headers['x-amzn-errortype'] || xmlField(data, 'Code');
  if (!raw) return undefined;
  const noUri = raw.split(':')[0] ?? raw;
  return noUri.includes('#') ? noUri.slice(noUri.indexOf('#') + 1) : noUri;
}

/** "ValidationException: Could not find endpoint …", for the error message. */
export function awsErrorMessage(data: unknown): string | undefined {
  const text = [awsErrorCode(data, {}), field(data, 'message') ?? field(data, 'Message') ?? xmlField(data, 'Message')].filter(Boolean).join(': ');
  return text || undefined;
}

/** AWS says "slow down" with HTTP 400 and a throttling code, not with 429. */
export function awsThrottled(_status: number, data: unknown, headers: Record<string, string>): boolean {
  const code = awsErrorCode(data, headers);
  return code !== undefined && THROTTLING.has(code);
}

/** A query-protocol API (STS) answers `<ErrorResponse><Error><Code>…</Code><Message>…</Message></Error>`. */
function xmlField(data: unknown, name: 'Code' | 'Message'): string | undefined {
  if (typeof data !== 'string' || !data.includes('<ErrorResponse')) return undefined;
  const m = new RegExp(`<Error>[\\s\\S]*?<${name}>([^<]*)</${name}>`).exec(data);
  return m?.[1] ? m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&') : undefined;
}

function field(data: unknown, name: string): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const value = (data as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
