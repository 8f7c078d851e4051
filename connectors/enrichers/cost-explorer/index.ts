import type { EnricherFactory } from '../../../src/engine/connector';
import { costExplorerConfigSchema, type CostExplorerConfig } from './config';

export const costExplorerEnricher: EnricherFactory<CostExplorerConfig> = {
  role: 'enricher',
  type: 'cost-explorer',
  schema: costExplorerConfigSchema,
  // The implementation (and the AWS SDK) is loaded when a config uses it: a run loads the connectors it syncs with, no others.
  create: (config, deps) => (require('./create') as typeof import('./create')).createCostExplorerEnricher(config, deps),
};

export type { CostExplorerConfig } from './config';
export { minimumRequests, PRICE_PER_REQUEST_USD } from './period';
