import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { HttpOptions } from '../../src/config/common';
import type { ConnectorDeps } from '../../src/engine/connector';
import { awsClientConfig as httpLayerConfig, type AwsClientConfig } from '../../src/http/aws-client-config';

/** The connector's name and what it sends through: every SDK request goes over masync's HTTP layer. */
export interface AwsHttpLayer {
  connector: string;
  http: ConnectorDeps['http'];
  redactor: ConnectorDeps['redactor'];
  logger: ConnectorDeps['logger'];
}

export type { AwsClientConfig };

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
 * Requests go through masync's HTTP layer (src/http/sdk-handler.ts): its
 * retries, throttling backoff, timeouts and redaction; the SDK sends once.
 */
export function awsClientConfig(opts: AwsClientOptions): AwsClientConfig {
  const { layer } = opts;
  return httpLayerConfig(
    { name: layer.connector, region: opts.region, endpoint: opts.endpoint, credentials: opts.credentials, http: opts.http },
    { http: layer.http, redactor: layer.redactor, logger: layer.logger },
  );
}
