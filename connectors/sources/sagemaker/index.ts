import type { SourceFactory } from '../../../src/engine/connector';
import { sageMakerConfigSchema, type SageMakerConfig } from './config';

export const sageMakerSource: SourceFactory<SageMakerConfig> = {
  role: 'source',
  type: 'sagemaker',
  schema: sageMakerConfigSchema,
  // The implementation (and the AWS SDK) is loaded when a config uses it: a run loads the connectors it syncs with, no others.
  create: (config, deps) => (require('./create') as typeof import('./create')).createSageMakerSource(config, deps),
};

export type { SageMakerConfig } from './config';
export { formatKey, keyOfArn, parseKey, scopeOfKey, type SageMakerRef } from './keys';
export { minimumCalls, type ReadCounts } from './call-count';
