import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, NodeHttpHandlerOptions } from '@smithy/types';
import type { HttpOptions } from '../../src/config/common';
import type { ConnectorDeps } from '../../src/engine/connector';

/** The connector's name and its HTTP layer: what SDK requests will be sent through once src/http/sdk-handler.ts lands. */
export interface AwsHttpLayer {
  connector: string;
  http: ConnectorDeps['http'];
}

/** What every AWS SDK v3 client constructor of masync is given. */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts: number;
  requestHandler: NodeHttpHandlerOptions;
}

export interface AwsClientOptions {
  region: string;
  /** One URL for every call (an emulator, a proxy); absent: the service's regional AWS endpoint. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  http: HttpOptions;
  layer: AwsHttpLayer;
}

/**
 * The one place an AWS SDK client is configured, for every AWS connector and
 * for the STS client behind assume-role: `new SageMakerClient(awsClientConfig(…))`.
 *
 * For now the SDK's own Node handler sends the requests and its standard retry
 * strategy retries throttling and transient errors (1 + `http.retries`
 * attempts), and `layer` waits unused. Routing through masync's HTTP layer
 * (src/http/sdk-handler.ts, `maxAttempts: 1`) replaces the `maxAttempts` and
 * `requestHandler` lines below with the helper's config for `layer.http(…)`.
 */
export function awsClientConfig(opts: AwsClientOptions): AwsClientConfig {
  const agent = { keepAlive: true, maxSockets: opts.http.concurrency };
  return {
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    maxAttempts: 1 + opts.http.retries,
    requestHandler: { requestTimeout: opts.http.timeoutMs, connectionTimeout: Math.min(opts.http.timeoutMs, 10_000), throwOnRequestTimeout: true, httpAgent: agent, httpsAgent: agent },
  };
}
