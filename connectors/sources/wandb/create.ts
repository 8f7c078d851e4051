import type { ConnectorDeps } from '../../../src/engine/connector';
import type { Source } from '../../../src/engine/types';
import { basicAuth } from '../../../src/http/auth';
import { WandbClient, wandbErrorMessage } from './client';
import type { WandbConfig } from './config';
import { WandbSource } from './source';

/** The source for one config entry, with its HTTP client. */
export function createWandbSource(config: WandbConfig, deps: ConnectorDeps): Source {
  const http = deps.http({
    name: config.name,
    baseURL: config.url,
    // W&B's API keys go as HTTP Basic with the fixed user name "api".
    auth: basicAuth('api', config.apiKey, deps.redactor),
    timeoutMs: config.http.timeoutMs,
    concurrency: config.http.concurrency,
    retry: { retries: config.http.retries, maxRetryAfterMs: config.http.maxRetryAfterSec * 1000 },
    errorMessage: wandbErrorMessage,
  });
  return new WandbSource(config, new WandbClient(http, config.name));
}
