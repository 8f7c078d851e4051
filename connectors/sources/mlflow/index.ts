import type { SourceFactory } from '../../../src/engine/connector';
import { basicAuth, bearerAuth } from '../../../src/http/auth';
import { MlflowClient, mlflowErrorCode, mlflowErrorMessage } from './client';
import { mlflowConfigSchema, type MlflowConfig } from './config';
import { MlflowSource } from './source';

export const mlflowSource: SourceFactory<MlflowConfig> = {
  role: 'source',
  type: 'mlflow',
  schema: mlflowConfigSchema,
  create(config, deps) {
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
  },
};

export type { MlflowConfig } from './config';
export { mlflowCallBound, type MlflowReadSize } from './call-bound';
