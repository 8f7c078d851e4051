import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { z } from 'zod';
import { accountCredentials, awsClientConfig, awsConnectionShape, awsScopes, awsScopesRefinement, wrapAwsError, type AwsAccount } from '../../connectors/aws-kit';
import { AwsFault, AwsIdentities, AwsServiceEmulator, parseSigV4 } from '../../connectors/aws-kit/emulator';
import { AuthError, ConnectorError } from '../../src/errors';
import { Redactor } from '../../src/http/redact';
import { testDeps } from '../support/deps';

const A = '111122223333';
const B = '444455556666';
const KEYS = { accessKeyId: 'AKIAAWSKITTESTS00001', secretAccessKey: 'aws-kit-tests-secret-1f2e3d4c' };
const ROLE = `arn:aws:iam::${B}:role/reader`;
const http = { timeoutMs: 5000, concurrency: 2, retries: 0, maxRetryAfterSec: 10, rateLimitWaitSec: 1 };
const deps = testDeps();
const layer = { connector: 'aws-kit-test', http: deps.http, redactor: deps.redactor, logger: deps.logger };

describe('aws-kit config', () => {
  const schema = z.strictObject(awsConnectionShape).superRefine(awsScopesRefinement);
  const issues = (input: unknown) => schema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it('expands accounts × regions into scopes, an account’s own regions first', () => {
    const cfg = schema.parse({ accounts: [{ id: A }, { id: B, regions: ['eu-west-1'], roleArn: ROLE }], regions: ['us-east-1', 'us-west-2'] });
    expect(awsScopes(cfg).map((s) => s.id)).toEqual([`${A}/us-east-1`, `${A}/us-west-2`, `${B}/eu-west-1`]);
  });

  it('says what is wrong with accounts, roles and endpoints', () => {
    expect(issues({ accounts: [{ id: A }] })).toEqual(['accounts.0.regions: regions for this account (or a top-level regions list)']);
    expect(issues({ accounts: [{ id: A, roleArn: ROLE }, { id: A }], regions: ['us-east-1'] })).toEqual([
      `accounts.0.roleArn: a role in account ${A} (this one is in ${B}; items are keyed by the account they are read from)`,
      `accounts.1.id: account ${A} is listed twice`,
    ]);
    expect(issues({ accounts: [{ id: A, externalId: 'x1' }], regions: ['us-east-1'] })).toEqual(['accounts.0.externalId: an externalId only together with roleArn']);
    expect(issues({ accounts: [{ id: '1234' }], regions: ['mars-1'] })).toHaveLength(2);
    expect(issues({ accounts: [{ id: A }], regions: ['us-east-1'], endpoint: 'http://user:pw@127.0.0.1:1' })).toEqual(['endpoint: a URL without credentials (they belong in the connector credential keys, which are redacted)']);
  });
});

describe('aws-kit credentials and errors, against the emulated STS', () => {
  let emu: AwsServiceEmulator;
  let identities: AwsIdentities;

  beforeEach(async () => {
    identities = new AwsIdentities();
    identities.addUser({ account: A, ...KEYS });
    identities.addRole({ arn: ROLE, externalId: 'ext-7', trusted: [A] });
    // A one-operation JSON 1.0 service is enough to prove the front every AWS emulator shares.
    emu = new AwsServiceEmulator({
      identities,
      service: { name: 'monitoring', signingName: 'monitoring', actionPrefix: 'cloudwatch', targetPrefix: 'GraniteServiceVersion20100801', jsonVersion: '1.0', operations: { ListMetrics: (call) => ({ Metrics: [{ Namespace: call.account, MetricName: call.region }] }) } },
    });
    await emu.start();
  });
  afterEach(() => emu.stop());

  const cloudwatch = (account: AwsAccount, redactor: Redactor, region = 'us-east-1', now?: () => number) => {
    const credentials = accountCredentials({ connection: { accounts: [account], credentials: KEYS, endpoint: emu.url, http }, sessionName: 'masync-test', redactor, layer, now });
    return new CloudWatchClient(awsClientConfig({ region, endpoint: emu.url, credentials: credentials(account), http, layer }));
  };

  it('reads as the base account, or as the role’s account after one AssumeRole shared by every region', async () => {
    const redactor = new Redactor();
    const own = await cloudwatch({ id: A }, redactor).send(new ListMetricsCommand({}));
    expect(own.Metrics).toEqual([{ Namespace: A, MetricName: 'us-east-1' }]);

    const credentials = accountCredentials({ connection: { accounts: [], credentials: KEYS, endpoint: emu.url, http, regions: ['eu-west-1'] }, sessionName: 'masync-test', redactor, layer });
    const role: AwsAccount = { id: B, roleArn: ROLE, externalId: 'ext-7' };
    const regions = ['us-east-1', 'eu-west-1'].map((region) => new CloudWatchClient(awsClientConfig({ region, endpoint: emu.url, credentials: credentials(role), http, layer })));
    const answers = await Promise.all(regions.map((c) => c.send(new ListMetricsCommand({}))));
    expect(answers.map((a) => a.Metrics?.[0])).toEqual([
      { Namespace: B, MetricName: 'us-east-1' },
      { Namespace: B, MetricName: 'eu-west-1' },
    ]);
    expect(emu.count('AssumeRole')).toBe(1);
    // The assumed role's secret is known to the redactor before anything could log it.
    const issued = await credentials(role)();
    expect(redactor.redact(`x ${issued.secretAccessKey} y ${issued.sessionToken ?? ''}`)).toBe('x [REDACTED] y [REDACTED]');
    expect(redactor.redact(KEYS.secretAccessKey)).toBe('[REDACTED]');
  });

  it('assumes the role again shortly before its session expires, and not before', async () => {
    let now = Date.now();
    const role: AwsAccount = { id: B, roleArn: ROLE, externalId: 'ext-7' };
    const provider = accountCredentials({ connection: { accounts: [role], credentials: KEYS, endpoint: emu.url, http }, sessionName: 'masync-test', redactor: new Redactor(), layer, now: () => now })(role);
    const first = await provider();
    now += 50 * 60_000;
    expect(await provider()).toBe(first);
    now += 6 * 60_000; // within five minutes of the one-hour session's end
    expect((await provider()).accessKeyId).not.toBe(first.accessKeyId);
    expect(emu.count('AssumeRole')).toBe(2);
  });

  it('wraps refusals as AuthError, keeps the throttling code, and scrubs known secrets', async () => {
    const redactor = new Redactor();
    identities.deny(A, 'cloudwatch:ListMetrics');
    const denied = await cloudwatch({ id: A }, redactor).send(new ListMetricsCommand({})).catch((e: unknown) => e);
    const wrapped = wrapAwsError(denied, { connector: 'cw', scope: `${A}/us-east-1`, operation: 'ListMetrics' }, redactor);
    expect(wrapped).toBeInstanceOf(AuthError);
    expect(wrapped.message).toMatch(/^cw: 111122223333\/us-east-1 ListMetrics: AccessDeniedException: User: arn:aws:iam::111122223333:user\/masync is not authorized/);
    expect(wrapped.props).toMatchObject({ awsCode: 'AccessDeniedException', status: 400 });

    identities.allowAll();
    // Still throttled when masync's rate-limit budget (1 s here) runs out.
    emu.throttleNext('ListMetrics', 1_000_000);
    const throttled = await cloudwatch({ id: A }, redactor).send(new ListMetricsCommand({})).catch((e: unknown) => e);
    const retryable = wrapAwsError(throttled, { connector: 'cw', operation: 'ListMetrics' }, redactor);
    expect(retryable).toBeInstanceOf(ConnectorError);
    expect(retryable).toMatchObject({ props: { awsCode: 'ThrottlingException' } });
    expect(retryable.message).toContain('http.rateLimitWaitSec');

    const leaky = Object.assign(new Error(`boom ${KEYS.secretAccessKey}`), { name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    const scrubbed = wrapAwsError(leaky, { connector: 'cw', operation: 'ListMetrics' }, redactor);
    expect(scrubbed.message).toBe('cw: ListMetrics: InternalFailure: boom [REDACTED]');
    expect(scrubbed).toMatchObject({ retryable: true });
  });

  it('rate-limits each account × region with AWS-shaped throttling, and refuses unsigned or expired calls', async () => {
    emu.setRateLimit({ capacity: 1, refillPerSec: 0.001 });
    const c = cloudwatch({ id: A }, new Redactor());
    await c.send(new ListMetricsCommand({}));
    const limited = await c.send(new ListMetricsCommand({})).catch((e: unknown) => e);
    // masync's HTTP layer, not the SDK, answers: retried within `rateLimitWaitSec`, then a retryable error with the AWS code.
    expect(limited).toMatchObject({ name: 'ConnectorError', props: { vendorCode: 'ThrottlingException' } });
    await expect(cloudwatch({ id: A }, new Redactor(), 'eu-west-1').send(new ListMetricsCommand({}))).resolves.toBeDefined();
    emu.setRateLimit(undefined);

    const unsigned = await fetch(emu.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' }, body: '{}' });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });

    const role = cloudwatch({ id: B, roleArn: ROLE, externalId: 'ext-7' }, new Redactor());
    await role.send(new ListMetricsCommand({}));
    identities.expireSessions();
    await expect(role.send(new ListMetricsCommand({}))).rejects.toMatchObject({ props: { vendorCode: 'ExpiredTokenException' } });
  });

  it('parses the credential scope of a SigV4 header', () => {
    expect(parseSigV4(`AWS4-HMAC-SHA256 Credential=AKIAX/20261124/eu-west-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`)).toEqual({
      accessKeyId: 'AKIAX',
      date: '20261124',
      region: 'eu-west-1',
      service: 'sagemaker',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'a'.repeat(64),
    });
    expect(parseSigV4('Bearer abc')).toBeUndefined();
    expect(new AwsFault('X', 'y').status).toBe(400);
  });
});
