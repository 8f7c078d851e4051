import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { HttpOptions } from '../../src/config/common';
import type { ConnectorDeps } from '../../src/engine/connector';
import { AuthError, type MasyncError } from '../../src/errors';
import { accountCredentials, awsClientConfig, type AwsAccount, type AwsClientConfig, type AwsConnection } from '../aws-kit';

/**
 * How the AWS enrichers reach AWS: aws-kit's credentials per account (one
 * AssumeRole per account shared by its regions) and SDK clients that send
 * through masync's HTTP layer, like the SageMaker source's.
 */
export function awsClients(config: AwsConnection & { name: string; http: HttpOptions }, deps: ConnectorDeps): (account: AwsAccount, region: string) => AwsClientConfig {
  const layer = { connector: config.name, http: deps.http, redactor: deps.redactor, logger: deps.logger };
  const credentials: (account: AwsAccount) => AwsCredentialIdentityProvider = accountCredentials({ connection: config, sessionName: `masync-${config.name}`.slice(0, 64), redactor: deps.redactor, layer });
  for (const a of config.accounts) deps.redactor.add(a.externalId);
  return (account, region) => awsClientConfig({ region, endpoint: config.endpoint, credentials: credentials(account), http: config.http, layer });
}

const REJECTED_CREDENTIALS = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException', 'MissingAuthenticationToken', 'MissingAuthenticationTokenException']);

/** What to change when an AWS call failed; names config keys and permissions, never their values. */
export function awsAccessHint(err: MasyncError, account: AwsAccount, permission: string, endpoint: string | undefined): string {
  const code = err.props.awsCode;
  if (code === 'CredentialsProviderError') {
    return 'no AWS credentials were found: set credentials.accessKeyId and credentials.secretAccessKey (e.g. ${AWS_ACCESS_KEY_ID}, ${AWS_SECRET_ACCESS_KEY}), or run where the SDK finds some (environment, profile, instance or pod role)';
  }
  if (typeof code === 'string' && REJECTED_CREDENTIALS.has(code)) {
    return 'AWS rejected the credentials: check credentials.accessKeyId and credentials.secretAccessKey; temporary (ASIA…) keys also need credentials.sessionToken';
  }
  if (err instanceof AuthError) {
    return account.roleArn
      ? `let the base credentials assume ${account.roleArn}${account.externalId ? ' with the configured externalId' : ''}, and grant ${permission} to that role`
      : `grant ${permission} to the identity behind the credentials in account ${account.id}`;
  }
  return endpoint ? `check that ${endpoint} answers` : 'check network access to the AWS endpoints (a proxy or firewall in the way?)';
}
