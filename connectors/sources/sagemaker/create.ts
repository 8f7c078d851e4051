import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import pLimit from 'p-limit';
import type { ConnectorDeps } from '../../../src/engine/connector';
import type { Source } from '../../../src/engine/types';
import { accountCredentials, awsClientConfig, awsScopes, type AwsAccount } from '../../aws-kit';
import { SageMakerScopeClient } from './client';
import type { SageMakerConfig } from './config';
import { SageMakerSource } from './source';

/** The source for one config entry: an SDK client per account and region, credentials assumed once per account. */
export function createSageMakerSource(config: SageMakerConfig, deps: ConnectorDeps): Source {
  // The session name shows in each account's CloudTrail as who read (at most 64 characters).
  const layer = { connector: config.name, http: deps.http, redactor: deps.redactor, logger: deps.logger };
  const credentials = accountCredentials({ connection: config, sessionName: `masync-${config.name}`.slice(0, 64), redactor: deps.redactor, layer });
  const scopes = awsScopes(config);
  // One bound on calls in flight for the whole source, across every account and region.
  const limit = pLimit(config.http.concurrency);
  const clients = new Map(
    scopes.map((scope) => {
      const account = config.accounts.find((a) => a.id === scope.account) as AwsAccount;
      const sdk = new SageMakerClient(awsClientConfig({ region: scope.region, endpoint: config.endpoint, credentials: credentials(account), http: config.http, layer }));
      return [scope.id, new SageMakerScopeClient({ sdk, scope, source: config.name, pageSize: config.pageSize, limit, redactor: deps.redactor })] as const;
    }),
  );
  return new SageMakerSource({ config, scopes, clients, credentials, redactor: deps.redactor });
}
