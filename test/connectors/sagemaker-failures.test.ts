import { sageMakerSource } from '../../connectors/sources/sagemaker';
import { SageMakerEmulator } from '../../connectors/sources/sagemaker/emulator';
import { AuthError, ConnectorError, MalformedResponseError } from '../../src/errors';
import { standaloneContext, type SkippedRecord, type SourceContext } from '../../src/engine/types';
import type { DeploymentItem } from '../../src/inventory';
import { collect, testDeps, type TestDeps } from '../support/deps';

const A = '111122223333';
const B = '444455556666';
const KEYS = { accessKeyId: 'AKIAFAILURETESTS0001', secretAccessKey: 'failure-tests-secret-9f8e7d6c5b' };
const ROLE = `arn:aws:iam::${B}:role/masync-reader`;

/** A source context that records what a real run would report. */
function recording(deps: TestDeps) {
  const failed: Array<{ scope: string; error: unknown }> = [];
  const skipped: SkippedRecord[] = [];
  const ctx: SourceContext = {
    ...standaloneContext(deps.logger, deps.clock),
    full: false,
    scopeFailed: (scope, error) => void failed.push({ scope, error }),
    skipped: (r) => void skipped.push(r),
  };
  return { ctx, failed, skipped };
}

/** One group with one version and one endpoint, in each of these scopes. */
function seed(emu: SageMakerEmulator, account: string, region: string): void {
  const s = emu.scope(account, region);
  s.addModelPackageGroup({ name: 'g' });
  const pkg = s.addModelPackage({ group: 'g', approval: 'Approved', containers: [{ image: 'img:1', modelDataUrl: `s3://b/${region}/model.tar.gz` }] });
  s.addModel({ name: 'm', containers: [{ image: 'img:1', modelPackageName: pkg.arn }] });
  s.addEndpointConfig({ name: 'cfg', variants: [{ name: 'AllTraffic', modelName: 'm', instanceType: 'ml.m5.large' }] });
  s.addEndpoint({ name: 'ep', config: 'cfg' });
}

describe('SageMaker source when things go wrong', () => {
  let emu: SageMakerEmulator;
  let deps: TestDeps;

  beforeEach(async () => {
    emu = new SageMakerEmulator();
    emu.identities.addUser({ account: A, ...KEYS });
    emu.identities.addRole({ arn: ROLE, externalId: 'masync-ext-1', trusted: [A] });
    for (const account of [A, B]) for (const region of ['us-east-1', 'eu-west-1']) seed(emu, account, region);
    await emu.start();
    deps = testDeps();
  });
  afterEach(() => emu.stop());

  const source = (over: Record<string, unknown> = {}) =>
    sageMakerSource.create(
      sageMakerSource.schema.parse({ name: 'sm', type: 'sagemaker', endpoint: emu.url, accounts: [{ id: A }], regions: ['us-east-1', 'eu-west-1'], credentials: KEYS, http: { retries: 2 }, ...over }),
      deps,
    );
  const logs = () => deps.logger.lines.join('\n');

  it('rides out throttling: the throttled calls are retried and the read is complete', async () => {
    emu.throttleNext('ListEndpoints', 2);
    emu.throttleNext('DescribeModelPackage');
    const { ctx, failed } = recording(deps);
    const items = await collect(source().list(ctx));
    expect(failed).toEqual([]);
    expect(items).toHaveLength(6);
    expect(emu.calls.filter((c) => c.status === 400).map((c) => c.operation).sort()).toEqual(['DescribeModelPackage', 'ListEndpoints', 'ListEndpoints']);
  });

  it('a region it may not read fails alone: reported through scopeFailed, the other region read in full', async () => {
    emu.identities.deny(A, 'sagemaker:*', 'eu-west-1');
    const { ctx, failed } = recording(deps);
    const items = await collect(source().list(ctx));
    expect(items.map((i) => i.key).sort()).toEqual([
      `sagemaker://${A}/us-east-1/endpoints/ep`,
      `sagemaker://${A}/us-east-1/model-package-groups/g`,
      `sagemaker://${A}/us-east-1/model-package-groups/g/versions/1`,
    ]);
    expect(failed.map((f) => f.scope)).toEqual([`${A}/eu-west-1`]);
    expect(failed[0]?.error).toBeInstanceOf(AuthError);
    expect(String((failed[0]?.error as Error).message)).toContain('AccessDeniedException');
    expect(logs()).not.toContain(KEYS.secretAccessKey);
  });

  it('a scope still throttled when its rate-limit budget runs out fails; with nothing read, the read throws the throttling error', async () => {
    emu.throttleNext('DescribeEndpoint', 1_000_000);
    const { ctx } = recording(deps);
    const err = await collect(source({ regions: ['us-east-1'], http: { rateLimitWaitSec: 1 } }).list(ctx)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    // masync's HTTP layer retried the throttled call with backoff until its budget ran out.
    expect(emu.count('DescribeEndpoint')).toBeGreaterThan(2);
    expect(err).toMatchObject({ props: { awsCode: 'ThrottlingException', operation: 'DescribeEndpoint', scope: `${A}/us-east-1` } });
    expect((err as Error).message).toContain('http.rateLimitWaitSec');
  });

  it('throws when no scope could be read, with a hint and without the secret', async () => {
    const wrong = { ...KEYS, secretAccessKey: 'not-the-secret-at-all-1234' };
    const { ctx, failed } = recording(deps);
    const err = await collect(source({ credentials: wrong }).list(ctx)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toMatch(/^sm: .*InvalidSignatureException.*secret access key/);
    expect((err as Error).message).toContain('1 more of 2 scopes failed');
    expect(failed).toEqual([]);
    expect((err as Error).message + logs()).not.toContain(wrong.secretAccessKey);
  });

  it('an answer that is not SageMaker JSON (a proxy page) fails the scope as malformed, naming where', async () => {
    emu.faults.inject({ path: 'ListEndpoints', status: 200, raw: '<html>Sign in to the proxy</html>', contentType: 'text/html' });
    const { ctx, failed } = recording(deps);
    const items = await collect(source().list(ctx));
    expect(items).toHaveLength(3);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toBeInstanceOf(MalformedResponseError);
    expect(String((failed[0]?.error as Error).message)).toMatch(/^sm: 111122223333\/(us-east-1|eu-west-1) ListEndpoints: the response could not be read/);
  });

  it('assumes a role per account through STS, once for all its regions, and keys items by that account', async () => {
    const { ctx, failed } = recording(deps);
    const items = await collect(source({ accounts: [{ id: A }, { id: B, roleArn: ROLE, externalId: 'masync-ext-1' }] }).list(ctx));
    expect(failed).toEqual([]);
    expect(items).toHaveLength(12);
    expect(new Set(items.map((i) => i.key.split('/').slice(2, 4).join('/')))).toEqual(new Set([`${A}/us-east-1`, `${A}/eu-west-1`, `${B}/us-east-1`, `${B}/eu-west-1`]));
    expect((items.find((i) => i.key === `sagemaker://${B}/eu-west-1/endpoints/ep`) as DeploymentItem).arn).toBe(`arn:aws:sagemaker:eu-west-1:${B}:endpoint/ep`);
    expect(emu.count('AssumeRole')).toBe(1);
  });

  it('a role it may not assume fails that account only, naming AssumeRole and never a credential', async () => {
    const { ctx, failed } = recording(deps);
    const items = await collect(source({ accounts: [{ id: A }, { id: B, roleArn: ROLE, externalId: 'wrong-external-id' }] }).list(ctx));
    expect(items).toHaveLength(6);
    expect(failed.map((f) => f.scope).sort()).toEqual([`${B}/eu-west-1`, `${B}/us-east-1`]);
    expect(String((failed[0]?.error as Error).message)).toMatch(new RegExp(`AssumeRole ${ROLE}: AccessDenied: .*sts:AssumeRole`));
    expect(logs()).not.toContain(KEYS.secretAccessKey);
  });

  it('credentials of another account than the configured one fail that scope instead of filing resources under the wrong account', async () => {
    const { ctx } = recording(deps);
    const err = await collect(source({ accounts: [{ id: '999988887777' }], regions: ['us-east-1'] }).list(ctx)).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/credentials do not belong to account 999988887777/);
  });

  it('skips one malformed resource (reported, with its key when known) and reads the rest', async () => {
    const s = emu.scope(A, 'us-east-1');
    s.addEndpoint({ name: 'ep2', config: 'cfg' });
    emu.faults.inject({ path: 'ListModelPackageGroups', status: 200, body: { ModelPackageGroupSummaryList: [{ ModelPackageGroupArn: 'arn:x', CreationTime: 1 }] } });
    emu.faults.inject({ path: 'DescribeEndpoint', status: 200, body: { EndpointName: 'ep2', ProductionVariants: [{ CurrentInstanceCount: 1 }] } });
    const { ctx, skipped, failed } = recording(deps);
    const items = await collect(source({ regions: ['us-east-1'] }).list(ctx));
    expect(failed).toEqual([]);
    expect(skipped.map((r) => [r.key, r.scope, r.error instanceof MalformedResponseError])).toEqual(
      expect.arrayContaining([
        [undefined, `${A}/us-east-1`, true],
        [expect.stringMatching(/endpoints\/ep2?$/), `${A}/us-east-1`, true],
      ]),
    );
    expect(String((skipped[0]?.error as Error).message)).toContain('field ModelPackageGroupSummaryList[0].ModelPackageGroupName');
    // The group listing was malformed, so its version has no group to belong to; one of the endpoints was skipped.
    expect(items.map((i) => i.kind).sort()).toEqual(['deployment']);
  });

  it('an endpoint deleted between listing and describing is simply gone; a deleted model still serving is named', async () => {
    const s = emu.scope(A, 'us-east-1');
    s.addEndpoint({ name: 'doomed', config: 'cfg' });
    s.deleteModel('m');
    emu.server.onRequest = (req) => {
      if (req.headers['x-amz-target'] === 'SageMaker.DescribeEndpoint' && (req.body as { EndpointName?: string }).EndpointName === 'doomed') s.deleteEndpoint('doomed');
    };
    const { ctx, skipped } = recording(deps);
    const items = await collect(source({ regions: ['us-east-1'] }).list(ctx));
    expect(skipped).toEqual([]);
    expect(items.map((i) => i.key)).not.toContain(`sagemaker://${A}/us-east-1/endpoints/doomed`);
    expect((items.find((i) => i.key.endsWith('/endpoints/ep')) as DeploymentItem).variants?.[0]?.served).toEqual([{ modelName: 'm' }]);
    expect(logs()).toContain('model m was deleted but is still deployed');
  });
});
