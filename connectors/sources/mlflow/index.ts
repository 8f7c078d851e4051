import type { SourceFactory } from '../../../src/engine/connector';
import { mlflowConfigSchema, type MlflowConfig } from './config';

export const mlflowSource: SourceFactory<MlflowConfig> = {
  role: 'source',
  type: 'mlflow',
  schema: mlflowConfigSchema,
  // The implementation is loaded when a config uses it: a run loads the connectors it syncs with, no others.
  create: (config, deps) => (require('./create') as typeof import('./create')).createMlflowSource(config, deps),
};

export type { MlflowConfig } from './config';
export { mlflowCallBound, type MlflowReadSize } from './call-bound';
