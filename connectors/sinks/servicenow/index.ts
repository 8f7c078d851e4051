import type { SinkFactory } from '../../../src/engine/connector';
import { serviceNowConfigSchema, type ServiceNowConfig } from './config';

export type { ServiceNowConfig } from './config';

export const servicenowSink: SinkFactory<ServiceNowConfig> = {
  role: 'sink',
  type: 'servicenow',
  schema: serviceNowConfigSchema,
  defaultMapping: 'servicenow',
  // The implementation is loaded when a config uses it: a run loads the connectors it syncs with, no others.
  create: (config, mapping, deps) => new (require('./sink') as typeof import('./sink')).ServiceNowSink(config, mapping, deps),
};
