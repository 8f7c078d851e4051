import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EnricherFactory } from '../../../src/engine/connector';
import { awsClients } from '../aws-access';
import { cloudwatchConfigSchema, type CloudWatchConfig } from './config';
import { CloudWatchEnricher } from './enricher';

export const cloudwatchEnricher: EnricherFactory<CloudWatchConfig> = {
  role: 'enricher',
  type: 'cloudwatch',
  schema: cloudwatchConfigSchema,
  create(config, deps) {
    const clients = awsClients(config, deps);
    return new CloudWatchEnricher(config, {
      redactor: deps.redactor,
      clientFor: (account, region) => new CloudWatchClient(clients(account, region)),
    });
  },
};

export type { CloudWatchConfig } from './config';
