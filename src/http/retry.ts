export interface RetryPolicy {
  /** Retries after the first attempt, for network errors and 5xx of idempotent requests. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this fails the request at once instead of stalling the run. */
  maxRetryAfterMs: number;
  /** How long one request may keep being rate limited (429, throttling) before it fails; its own budget, apart from `retries`. */
  rateLimitWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 250, maxDelayMs: 15_000, maxRetryAfterMs: 120_000, rateLimitWaitMs: 300_000 };

/** Exponential backoff with full jitter: clients that failed together spread out over the whole window. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
