import type { CheckResult, RunContext } from '../../../src/engine/types';
import { AuthError, describeError } from '../../../src/errors';
import { wrapAwsError, type AwsAccount, type AwsScope } from '../../aws-kit';
import type { CallContext, ProbeOperation, SageMakerScopeClient } from './client';
import type { SageMakerConfig } from './config';
import type { SageMakerSourceParts } from './source';

/** Every IAM action a read uses, in the order a read needs them. */
export const SAGEMAKER_READ_ACTIONS = [
  'ListModelPackageGroups', 'ListModelPackages', 'DescribeModelPackage', 'ListEndpoints', 'DescribeEndpoint', 'DescribeEndpointConfig',
  'DescribeModel', 'ListInferenceComponents', 'DescribeInferenceComponent', 'ListTags',
] as const;

// A name no resource has: describing it answers "Could not find" when the action is allowed, AccessDenied when not.
const PROBE = 'masync-doctor-probe';

/**
 * `masync doctor` for SageMaker: per account, that its credentials work (the
 * role assumed, when there is one); per account × region, every action a
 * read uses, each refusal with the IAM action to grant.
 */
export async function checkSageMaker(parts: SageMakerSourceParts, ctx: RunContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const call: CallContext = { signal: ctx.signal, stopping: new AbortController().signal };
  for (const account of parts.config.accounts) {
    const label = `AWS credentials for account ${account.id}${account.roleArn ? ` (assuming ${account.roleArn})` : ''}`;
    try {
      await parts.credentials(account)();
    } catch (err) {
      const error = wrapAwsError(err, { connector: parts.config.name, scope: account.id, operation: account.roleArn ? 'AssumeRole' : 'credentials' }, parts.redactor);
      const hint = error instanceof AuthError ? credentialHint(error, account, parts.config) : reachHint(parts.config, account.regions?.[0] ?? parts.config.regions?.[0] ?? 'us-east-1');
      results.push({ check: label, ok: false, detail: describeError(error), hint });
      continue;
    }
    // The first answer from SageMaker shows whether AWS accepts the credentials at all.
    let verified = false;
    for (const scope of parts.scopes.filter((s) => s.account === account.id)) {
      const { rejected, answered, results: scopeResults } = await checkScope(parts.clients.get(scope.id) as SageMakerScopeClient, scope, account, parts.config, call);
      if (rejected) {
        results.push({ ...rejected, check: verified ? `${label} in ${scope.region}` : label });
        break;
      }
      if (answered && !verified) results.push({ check: label, ok: true });
      verified ||= answered;
      results.push(...scopeResults);
    }
  }
  return results;
}

async function checkScope(
  client: SageMakerScopeClient,
  scope: AwsScope,
  account: AwsAccount,
  config: SageMakerConfig,
  call: CallContext,
): Promise<{ rejected?: CheckResult; answered: boolean; results: CheckResult[] }> {
  const failures: CheckResult[] = [];
  const arn = (type: string, name: string) => `arn:aws:sagemaker:${scope.region}:${scope.account}:${type}/${name}`;
  const firsts: Partial<Record<ProbeOperation, Record<string, unknown> | undefined>> = {};
  const steps: Array<[(typeof SAGEMAKER_READ_ACTIONS)[number], () => Promise<unknown>]> = [
    ['ListModelPackageGroups', async () => (firsts.ListModelPackageGroups = await client.first(call, 'ListModelPackageGroups'))],
    ['ListModelPackages', async () => (firsts.ListModelPackages = await client.first(call, 'ListModelPackages'))],
    ['DescribeModelPackage', () => client.describeModelPackage(str(firsts.ListModelPackages?.ModelPackageArn) ?? `${arn('model-package', PROBE)}/1`, call)],
    ['ListEndpoints', async () => (firsts.ListEndpoints = await client.first(call, 'ListEndpoints'))],
    ['DescribeEndpoint', () => client.describeEndpoint(str(firsts.ListEndpoints?.EndpointName) ?? PROBE, call)],
    ['DescribeEndpointConfig', () => client.describeEndpointConfig(PROBE, call)],
    ['DescribeModel', () => client.describeModel(PROBE, call)],
    ['ListInferenceComponents', async () => (firsts.ListInferenceComponents = await client.first(call, 'ListInferenceComponents'))],
    ['DescribeInferenceComponent', () => client.describeInferenceComponent(str(firsts.ListInferenceComponents?.InferenceComponentName) ?? PROBE, call)],
    ['ListTags', () => client.tags(str(firsts.ListEndpoints?.EndpointArn) ?? arn('endpoint', PROBE), call)],
  ];
  let answered = false;
  for (const [action, run] of steps) {
    try {
      await run();
      answered = true;
    } catch (err) {
      const code = err instanceof AuthError ? err.props.awsCode : undefined;
      if (err instanceof AuthError && code !== 'AccessDeniedException' && code !== 'AccessDenied') {
        return { rejected: { check: 'credentials', ok: false, detail: describeError(err), hint: credentialHint(err, account, config) }, answered: true, results: [] };
      }
      if (!(err instanceof AuthError)) {
        const unreachable = { check: `SageMaker reachable in ${scope.id}`, ok: false, detail: describeError(err), hint: reachHint(config, scope.region) };
        return { answered: answered || failures.length > 0, results: [...failures, unreachable] };
      }
      failures.push({
        check: `sagemaker:${action} in ${scope.id}`,
        ok: false,
        detail: describeError(err),
        hint: `allow sagemaker:${action} to ${account.roleArn ? `the role ${account.roleArn}` : 'the principal of these credentials'} in account ${scope.account} (the read-only policy in the README lists every action masync needs)`,
      });
    }
  }
  return { answered: true, results: failures.length ? failures : [{ check: `SageMaker read permissions in ${scope.id}`, ok: true, detail: SAGEMAKER_READ_ACTIONS.map((a) => `sagemaker:${a}`).join(', ') }] };
}

/** What to change when credentials were refused; names config keys and IAM actions, never values. */
export function credentialHint(err: AuthError, account: AwsAccount | undefined, config: SageMakerConfig): string {
  const code = err.props.awsCode;
  const keys = config.credentials ? 'credentials.accessKeyId / credentials.secretAccessKey' : 'the credentials the standard AWS chain found (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity, instance role)';
  switch (code) {
    case 'CredentialsProviderError':
      return 'no AWS credentials were found: set credentials (as ${ENV} references) or make the standard AWS chain find some (AWS_ACCESS_KEY_ID, AWS_PROFILE, a web identity token, an ECS or EC2 role)';
    case 'UnrecognizedClientException':
    case 'InvalidClientTokenId':
      return `AWS does not know this access key (or its session token): check ${keys}, and that the key is active`;
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
      return `the secret access key does not belong to the access key id: check ${keys}`;
    case 'ExpiredTokenException':
    case 'ExpiredToken':
      return 'the session token has expired: renew credentials.sessionToken, or use a profile or role that renews itself';
    case 'AccessDenied':
      if (account?.roleArn && /sts:AssumeRole/.test(err.message)) {
        return `allow sts:AssumeRole on ${account.roleArn} to the base credentials' principal, and trust that principal in the role's trust policy${account.externalId ? ' with the configured externalId' : ''}`;
      }
      return 'grant the read-only SageMaker policy in the README to these credentials';
    default:
      return 'grant the read-only SageMaker policy in the README (List*/Describe* on SageMaker, ListTags) to these credentials';
  }
}

function reachHint(config: SageMakerConfig, region: string): string {
  return config.endpoint
    ? `check that endpoint (${config.endpoint}) answers AWS API calls`
    : `check network access to https://api.sagemaker.${region}.amazonaws.com and https://sts.${region}.amazonaws.com (a proxy, a VPC endpoint, or the region name)`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
