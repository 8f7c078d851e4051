import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ConnectorDeps } from '../../../src/engine/connector';
import type { Enricher } from '../../../src/engine/types';
import { awsClients } from '../aws-access';
import type { CloudWatchConfig } from './config';
import { CloudWatchEnricher } from './enricher';

/** The enricher for one config entry, with an SDK client per account and region. */
export function createCloudWatchEnricher(config: CloudWatchConfig, deps: ConnectorDeps): Enricher {
  const clients = awsClients(config, deps);
  return new CloudWatchEnricher(config, {
    redactor: deps.redactor,
    clientFor: (account, region) => new CloudWatchClient(clients(account, region)),
  });
}
