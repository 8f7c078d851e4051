import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, NodeHttpHandlerOptions } from '@smithy/types';
import type { HttpOptions } from '../../src/config/common';

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
}

/**
 * The one place an AWS SDK client is configured, for every AWS connector and
 * for the STS client behind assume-role: `new SageMakerClient(awsClientConfig(…))`.
 *
 * For now the SDK's own Node handler sends the requests and its standard retry
 * strategy retries throttling and transient errors (1 + `http.retries`
 * attempts). Routing through masync's HTTP layer (src/http/sdk-handler.ts, with
 * `maxAttempts: 1`) is a change to this function only.
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
