import type { SourceFactory } from '../../../src/engine/connector';
import { wandbConfigSchema, type WandbConfig } from './config';

export const wandbSource: SourceFactory<WandbConfig> = {
  role: 'source',
  type: 'wandb',
  schema: wandbConfigSchema,
  // The implementation is loaded when a config uses it: a run loads the connectors it syncs with, no others.
  create: (config, deps) => (require('./create') as typeof import('./create')).createWandbSource(config, deps),
};

export type { WandbConfig } from './config';
