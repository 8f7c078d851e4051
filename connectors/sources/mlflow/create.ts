import type { ConnectorDeps } from '../../../src/engine/connector';
import type { Source } from '../../../src/engine/types';
import { basicAuth, bearerAuth } from '../../../src/http/auth';
import { MlflowClient, mlflowErrorCode, mlflowErrorMessage } from './client';
import type { MlflowConfig } from './config';
import { MlflowSource } from './source';

/** The source for one config entry, with its HTTP client. */
export function createMlflowSource(config: MlflowConfig, deps: ConnectorDeps): Source {
  const auth = !config.auth
    ? undefined
    : 'token' in config.auth
      ? bearerAuth(config.auth.token, deps.redactor)
      : basicAuth(config.auth.username, config.auth.password, deps.redactor);
  const http = deps.http({
    name: config.name,
    baseURL: config.url,
    auth,
    timeoutMs: config.http.timeoutMs,
    concurrency: config.http.concurrency,
    retry: { retries: config.http.retries, maxRetryAfterMs: config.http.maxRetryAfterSec * 1000 },
    errorMessage: mlflowErrorMessage,
    errorCode: mlflowErrorCode,
  });
  return new MlflowSource(config, new MlflowClient(http, config.name));
}
