import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Logger as SdkLogger } from '@smithy/types';
import type { HttpOptions } from '../config/common';
import type { Logger } from '../log/logger';
import { awsErrorCode, awsErrorMessage, awsThrottled } from './aws-errors';
import type { HttpClient, HttpClientOptions } from './client';
import { httpClientSettings } from './options';
import type { Redactor } from './redact';
import { SdkHttpHandler } from './sdk-handler';

/** What an AWS connector knows about the client it needs. */
export interface AwsClientOptions {
  /** Connector instance name: every log line and error starts with it. */
  name: string;
  region: string;
  /** Where to send requests instead of the SDK's regional endpoint: an emulator, a VPC endpoint. */
  endpoint?: string;
  /** Static keys or a provider (assume-role); the SDK's default Node chain when absent. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The connector's `http` config block. */
  http: HttpOptions;
}

/** The parts of ConnectorDeps the client config needs. */
export interface AwsClientDeps {
  http(opts: Omit<HttpClientOptions, 'logger' | 'redactor'>): HttpClient;
  redactor: Redactor;
  logger: Logger;
}

/** Constructor config every AWS SDK v3 client accepts: `new SageMakerClient(awsClientConfig(opts, deps))`. */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  requestHandler: SdkHttpHandler;
  /** masync's HTTP layer retries; the SDK sends once. */
  maxAttempts: 1;
  logger: SdkLogger;
}

export function awsClientConfig(opts: AwsClientOptions, deps: AwsClientDeps): AwsClientConfig {
  const requestHandler = new SdkHttpHandler(opts.name, (origin) =>
    deps.http({ name: opts.name, baseURL: origin, ...httpClientSettings(opts.http), errorMessage: awsErrorMessage, errorCode: awsErrorCode, throttled: awsThrottled }),
  );
  return {
    region: opts.region,
    ...(opts.endpoint !== undefined ? { endpoint: opts.endpoint } : {}),
    credentials: redactedCredentials(opts.credentials ?? fromNodeProviderChain(), deps.redactor),
    requestHandler,
    maxAttempts: 1,
    logger: sdkLogger(opts.name, deps.logger, deps.redactor),
  };
}

/** Registers every secret key and session token with the redactor as the SDK obtains it, wherever it came from. */
function redactedCredentials(source: AwsCredentialIdentity | AwsCredentialIdentityProvider, redactor: Redactor): AwsCredentialIdentityProvider {
  const register = (identity: AwsCredentialIdentity) => {
    redactor.add(identity.secretAccessKey);
    redactor.add(identity.sessionToken);
    return identity;
  };
  if (typeof source !== 'function') {
    register(source);
    return async () => source;
  }
  return async (props) => register(await source(props));
}

/**
 * The SDK logs each call's input and output at info: dropped, masync's own
 * debug line says what was sent. Its errors are thrown to the connector anyway,
 * so they only reach debug; its warnings are kept.
 */
function sdkLogger(name: string, logger: Logger, redactor: Redactor): SdkLogger {
  const line = (parts: unknown[]) => redactor.redact(`${name}: AWS SDK: ${parts.map(describe).join(' ')}`);
  const drop = () => undefined;
  return {
    trace: drop,
    debug: drop,
    info: drop,
    warn: (...parts: unknown[]) => logger.warn(line(parts)),
    error: (...parts: unknown[]) => logger.debug(line(parts)),
  };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part, (_k, v: unknown) => (v instanceof Error ? v.message : v));
  } catch {
    return String(part);
  }
}
