import type { SourceFactory } from '../../../src/engine/connector';
import { basicAuth } from '../../../src/http/auth';
import { WandbClient, wandbErrorMessage } from './client';
import { wandbConfigSchema, type WandbConfig } from './config';
import { WandbSource } from './source';

export const wandbSource: SourceFactory<WandbConfig> = {
  role: 'source',
  type: 'wandb',
  schema: wandbConfigSchema,
  create(config, deps) {
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
  },
};

export type { WandbConfig } from './config';
