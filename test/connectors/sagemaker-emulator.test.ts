import {
  DescribeEndpointCommand, DescribeModelPackageCommand, ListEndpointsCommand, ListInferenceComponentsCommand, ListModelPackageGroupsCommand,
  ListModelPackagesCommand, ListTagsCommand, SageMakerClient, type SageMakerClientConfig,
} from '@aws-sdk/client-sagemaker';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { SageMakerEmulator } from '../../connectors/sources/sagemaker/emulator';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const KEY = { accessKeyId: 'AKIAEMULATORTEST0001', secretAccessKey: 'emulator-secret-key-for-tests-0001' };

describe('SageMaker emulator, through the AWS SDK', () => {
  let emu: SageMakerEmulator;
  const client = (region = 'us-east-1', credentials: SageMakerClientConfig['credentials'] = KEY) =>
    new SageMakerClient({ region, endpoint: emu.url, credentials, maxAttempts: 1 });

  beforeEach(async () => {
    let t = Date.UTC(2026, 0, 1);
    emu = new SageMakerEmulator({ clock: () => (t += 1000) });
    emu.identities.addUser({ account: ACCOUNT, ...KEY });
    emu.identities.addRole({ arn: `arn:aws:iam::${OTHER}:role/masync-reader`, externalId: 'ext-1' });
    const s = emu.scope(ACCOUNT, 'us-east-1');
    for (let g = 0; g < 5; g++) {
      s.addModelPackageGroup({ name: `Group-${g}`, tags: { owner: 'alice' } });
      for (let v = 0; v < 3; v++) s.addModelPackage({ group: `Group-${g}`, approval: v === 2 ? 'Approved' : 'PendingManualApproval' });
    }
    s.addModel({ name: 'm1', containers: [{ image: 'img:1', modelDataUrl: 's3://b/m1.tar.gz' }] });
    s.addEndpointConfig({ name: 'cfg', variants: [{ name: 'AllTraffic', modelName: 'm1', instanceType: 'ml.m5.large', initialInstanceCount: 2 }] });
    s.addEndpointConfig({ name: 'ic-cfg', variants: [{ name: 'AllTraffic', instanceType: 'ml.g5.2xlarge', initialInstanceCount: 1 }] });
    for (let e = 0; e < 7; e++) s.addEndpoint({ name: `Ep-${e}`, config: 'cfg' });
    s.addEndpoint({ name: 'shared', config: 'ic-cfg' });
    for (let c = 0; c < 3; c++) s.addInferenceComponent({ name: `ic-${c}`, endpoint: 'shared', modelName: 'm1', copies: c + 1 });
    await emu.start();
  });
  afterEach(() => emu.stop());

  it('pages every list with NextToken, honouring MaxResults', async () => {
    const sm = client();
    const all = async <T>(fetch: (token?: string) => Promise<{ items: T[]; next?: string }>) => {
      const out: T[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await fetch(token);
        out.push(...page.items);
        token = page.next;
        pages++;
      } while (token);
      return { out, pages };
    };
    const groups = await all(async (NextToken) => {
      const r = await sm.send(new ListModelPackageGroupsCommand({ MaxResults: 2, NextToken }));
      return { items: r.ModelPackageGroupSummaryList ?? [], next: r.NextToken };
    });
    expect(groups.pages).toBe(3);
    expect(groups.out.map((g) => g.ModelPackageGroupName)).toEqual(['Group-0', 'Group-1', 'Group-2', 'Group-3', 'Group-4']);
    expect(groups.out[0]?.CreationTime).toBeInstanceOf(Date);
    expect(groups.out[0]?.ModelPackageGroupArn).toBe(`arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-package-group/group-0`);

    const packages = await all(async (NextToken) => {
      const r = await sm.send(new ListModelPackagesCommand({ ModelPackageType: 'Versioned', MaxResults: 4, NextToken }));
      return { items: r.ModelPackageSummaryList ?? [], next: r.NextToken };
    });
    expect(packages.out).toHaveLength(15);
    expect(packages.pages).toBe(4);
    const ofGroup = await sm.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'Group-1' }));
    expect(ofGroup.ModelPackageSummaryList?.map((p) => p.ModelPackageVersion)).toEqual([1, 2, 3]);
    // Without a group or a type, SageMaker lists unversioned packages only.
    expect((await sm.send(new ListModelPackagesCommand({}))).ModelPackageSummaryList).toEqual([]);

    const endpoints = await all(async (NextToken) => {
      const r = await sm.send(new ListEndpointsCommand({ MaxResults: 3, NextToken }));
      return { items: r.Endpoints ?? [], next: r.NextToken };
    });
    expect(endpoints.out).toHaveLength(8);
    expect(endpoints.out[0]?.EndpointName).toBe('shared'); // newest first by default
    const components = await all(async (NextToken) => {
      const r = await sm.send(new ListInferenceComponentsCommand({ MaxResults: 2, NextToken }));
      return { items: r.InferenceComponents ?? [], next: r.NextToken };
    });
    expect(components.out.map((c) => c.InferenceComponentName).sort()).toEqual(['ic-0', 'ic-1', 'ic-2']);
    expect(components.pages).toBe(2);

    const tags = await sm.send(new ListTagsCommand({ ResourceArn: groups.out[0]?.ModelPackageGroupArn, MaxResults: 50 }));
    expect(tags.Tags).toEqual([{ Key: 'owner', Value: 'alice' }]);
    const arn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/ep-0`;
    emu.scope(ACCOUNT, 'us-east-1').addTags(arn, Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v'])));
    const manyTags = await all(async (NextToken) => {
      const r = await sm.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 50, NextToken }));
      return { items: r.Tags ?? [], next: r.NextToken };
    });
    expect([manyTags.out.length, manyTags.pages]).toEqual([60, 2]);
  });

  it('rejects out-of-range page sizes the way SageMaker does', async () => {
    const err = await client().send(new ListEndpointsCommand({ MaxResults: 101 })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    const tags = await client().send(new ListTagsCommand({ ResourceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/ep-0`, MaxResults: 10 })).catch((e: unknown) => e);
    expect(tags).toMatchObject({ name: 'ValidationException' });
  });

  it('answers a missing resource with ValidationException "Could not find …", the ARN lower-cased', async () => {
    const err = await client().send(new DescribeEndpointCommand({ EndpointName: 'Gone-Ep' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ValidationException', message: `Could not find endpoint "arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/gone-ep".` });
    const pkg = await client().send(new DescribeModelPackageCommand({ ModelPackageName: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-package/group-0/9` })).catch((e: unknown) => e);
    expect(pkg).toMatchObject({ name: 'ValidationException' });
  });

  it('keeps each region apart, and an empty region lists nothing', async () => {
    const r = await client('eu-west-1').send(new ListEndpointsCommand({}));
    expect(r.Endpoints).toEqual([]);
  });

  it('throttles with a 400 ThrottlingException, which the SDK retries', async () => {
    emu.throttleNext('ListEndpoints');
    const sm = new SageMakerClient({ region: 'us-east-1', endpoint: emu.url, credentials: KEY, maxAttempts: 2 });
    const r = await sm.send(new ListEndpointsCommand({}));
    expect(r.$metadata.attempts).toBe(2);
    expect(emu.count('ListEndpoints')).toBe(2);
  });

  it('rejects a wrong secret key, an unknown key, and a denied action', async () => {
    const badSecret = await client('us-east-1', { ...KEY, secretAccessKey: 'wrong-secret-wrong-secret' }).send(new ListEndpointsCommand({})).catch((e: unknown) => e);
    expect(badSecret).toMatchObject({ name: 'InvalidSignatureException' });
    const unknown = await client('us-east-1', { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' }).send(new ListEndpointsCommand({})).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ name: 'UnrecognizedClientException' });
    emu.identities.deny(ACCOUNT, 'sagemaker:ListEndpoints', 'us-east-1');
    const denied = await client().send(new ListEndpointsCommand({})).catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: 'AccessDeniedException' });
    expect(String((denied as Error).message)).toContain('sagemaker:ListEndpoints');
    await expect(client('eu-west-1').send(new ListEndpointsCommand({}))).resolves.toBeDefined();
  });

  it('assumed-role credentials read the role account; a wrong ExternalId is refused', async () => {
    emu.scope(OTHER, 'us-east-1').addModelPackageGroup({ name: 'theirs' });
    const assumed = (ExternalId: string) =>
      fromTemporaryCredentials({
        params: { RoleArn: `arn:aws:iam::${OTHER}:role/masync-reader`, ExternalId, RoleSessionName: 'masync-test' },
        masterCredentials: KEY,
        clientConfig: { region: 'us-east-1', endpoint: emu.url, maxAttempts: 1 },
      });
    const r = await client('us-east-1', assumed('ext-1')).send(new ListModelPackageGroupsCommand({}));
    expect(r.ModelPackageGroupSummaryList?.map((g) => g.ModelPackageGroupArn)).toEqual([`arn:aws:sagemaker:us-east-1:${OTHER}:model-package-group/theirs`]);
    expect(emu.count('AssumeRole', `${ACCOUNT}/us-east-1`)).toBe(1);
    const refused = await client('us-east-1', assumed('wrong')).send(new ListModelPackageGroupsCommand({})).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'AccessDenied' });
  });
});
