import type { HttpOptions } from '../config/common';
import type { HttpClientOptions } from './client';

/** The client settings a connector's `http` config block stands for: one mapping, so no connector drops a key. */
export function httpClientSettings(http: HttpOptions): Pick<HttpClientOptions, 'timeoutMs' | 'concurrency' | 'retry'> {
  return {
    timeoutMs: http.timeoutMs,
    concurrency: http.concurrency,
    retry: { retries: http.retries, maxRetryAfterMs: http.maxRetryAfterSec * 1000, rateLimitWaitMs: http.rateLimitWaitSec * 1000 },
  };
}
