import type { SinkFactory } from '../../../src/engine/connector';
import { serviceNowConfigSchema, type ServiceNowConfig } from './config';
import { ServiceNowSink } from './sink';

export type { ServiceNowConfig } from './config';

export const servicenowSink: SinkFactory<ServiceNowConfig> = {
  role: 'sink',
  type: 'servicenow',
  schema: serviceNowConfigSchema,
  defaultMapping: 'servicenow',
  create: (config, mapping, deps) => new ServiceNowSink(config, mapping, deps),
};
