import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { EnricherFactory } from '../../../src/engine/connector';
import { awsClients } from '../aws-access';
import { costExplorerConfigSchema, type CostExplorerConfig } from './config';
import { CostExplorerEnricher } from './enricher';

/** Cost Explorer has one endpoint for the aws partition, signed for us-east-1. */
const CE_REGION = 'us-east-1';

export const costExplorerEnricher: EnricherFactory<CostExplorerConfig> = {
  role: 'enricher',
  type: 'cost-explorer',
  schema: costExplorerConfigSchema,
  create(config, deps) {
    const clients = awsClients(config, deps);
    return new CostExplorerEnricher(config, {
      redactor: deps.redactor,
      clientFor: (account) => new CostExplorerClient(clients(account, CE_REGION)),
    });
  },
};

export type { CostExplorerConfig } from './config';
export { minimumRequests, PRICE_PER_REQUEST_USD } from './period';
