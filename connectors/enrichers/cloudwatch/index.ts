import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EnricherFactory } from '../../../src/engine/connector';
import { registerAwsSecrets, sdkClientSettings } from '../aws-client';
import { cloudwatchConfigSchema, type CloudWatchConfig } from './config';
import { CloudWatchEnricher } from './enricher';

export const cloudwatchEnricher: EnricherFactory<CloudWatchConfig> = {
  role: 'enricher',
  type: 'cloudwatch',
  schema: cloudwatchConfigSchema,
  create(config, deps) {
    registerAwsSecrets(config, deps.redactor);
    return new CloudWatchEnricher(config, {
      redactor: deps.redactor,
      clientFor: (account, region) => new CloudWatchClient(sdkClientSettings(config, account, region)),
    });
  },
};

export type { CloudWatchConfig } from './config';
