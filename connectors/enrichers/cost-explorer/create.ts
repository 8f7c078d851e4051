import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { ConnectorDeps } from '../../../src/engine/connector';
import type { Enricher } from '../../../src/engine/types';
import { awsClients } from '../aws-access';
import type { CostExplorerConfig } from './config';
import { CostExplorerEnricher } from './enricher';

/** Cost Explorer has one endpoint for the aws partition, signed for us-east-1. */
const CE_REGION = 'us-east-1';

/** The enricher for one config entry, with an SDK client per account. */
export function createCostExplorerEnricher(config: CostExplorerConfig, deps: ConnectorDeps): Enricher {
  const clients = awsClients(config, deps);
  return new CostExplorerEnricher(config, {
    redactor: deps.redactor,
    clientFor: (account) => new CostExplorerClient(clients(account, CE_REGION)),
  });
}
