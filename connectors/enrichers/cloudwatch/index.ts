import type { EnricherFactory } from '../../../src/engine/connector';
import { cloudwatchConfigSchema, type CloudWatchConfig } from './config';

export const cloudwatchEnricher: EnricherFactory<CloudWatchConfig> = {
  role: 'enricher',
  type: 'cloudwatch',
  schema: cloudwatchConfigSchema,
  // The implementation (and the AWS SDK) is loaded when a config uses it: a run loads the connectors it syncs with, no others.
  create: (config, deps) => (require('./create') as typeof import('./create')).createCloudWatchEnricher(config, deps),
};

export type { CloudWatchConfig } from './config';
