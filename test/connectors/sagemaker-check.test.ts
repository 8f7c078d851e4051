import { sageMakerSource } from '../../connectors/sources/sagemaker';
import { SageMakerEmulator } from '../../connectors/sources/sagemaker/emulator';
import { SAGEMAKER_READ_ACTIONS } from '../../connectors/sources/sagemaker/check';
import { standaloneContext } from '../../src/engine/types';
import { testDeps, type TestDeps } from '../support/deps';

const A = '111122223333';
const B = '444455556666';
const KEYS = { accessKeyId: 'AKIADOCTORTESTS00001', secretAccessKey: 'doctor-tests-secret-0a1b2c3d4e' };
const ROLE = `arn:aws:iam::${B}:role/masync-reader`;

describe('SageMaker doctor checks', () => {
  let emu: SageMakerEmulator;
  let deps: TestDeps;

  beforeEach(async () => {
    emu = new SageMakerEmulator();
    emu.identities.addUser({ account: A, ...KEYS });
    emu.identities.addRole({ arn: ROLE, externalId: 'ext-42' });
    const s = emu.scope(A, 'us-east-1');
    s.addModelPackageGroup({ name: 'g' });
    s.addModelPackage({ group: 'g' });
    await emu.start();
    deps = testDeps();
  });
  afterEach(() => emu.stop());

  const check = (over: Record<string, unknown> = {}) =>
    sageMakerSource
      .create(sageMakerSource.schema.parse({ name: 'sm', type: 'sagemaker', endpoint: emu.url, accounts: [{ id: A }], regions: ['us-east-1', 'eu-west-1'], credentials: KEYS, http: { retries: 0 }, ...over }), deps)
      .check(standaloneContext(deps.logger, deps.clock));

  it('passes with credentials and every permission, and tries each action a read uses', async () => {
    const results = await check({ accounts: [{ id: A }, { id: B, roleArn: ROLE, externalId: 'ext-42', regions: ['us-east-1'] }] });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.check)).toEqual([
      `AWS credentials for account ${A}`,
      `SageMaker read permissions in ${A}/us-east-1`,
      `SageMaker read permissions in ${A}/eu-west-1`,
      `AWS credentials for account ${B} (assuming ${ROLE})`,
      `SageMaker read permissions in ${B}/us-east-1`,
    ]);
    for (const action of SAGEMAKER_READ_ACTIONS) expect(emu.count(action, `${A}/eu-west-1`)).toBe(1);
  });

  it('names each refused action with the IAM permission to grant', async () => {
    emu.identities.deny(A, 'sagemaker:DescribeModelPackage', 'us-east-1');
    emu.identities.deny(A, 'sagemaker:ListTags');
    const failed = (await check()).filter((r) => !r.ok);
    expect(failed.map((r) => r.check)).toEqual([`sagemaker:DescribeModelPackage in ${A}/us-east-1`, `sagemaker:ListTags in ${A}/us-east-1`, `sagemaker:ListTags in ${A}/eu-west-1`]);
    expect(failed[0]?.hint).toMatch(/^allow sagemaker:DescribeModelPackage to the principal of these credentials in account 111122223333/);
  });

  it('says what to fix when credentials are refused, without showing them', async () => {
    const wrong = { ...KEYS, secretAccessKey: 'wrong-secret-for-doctor-99' };
    const results = await check({ credentials: wrong });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ check: `AWS credentials for account ${A}`, ok: false, hint: expect.stringContaining('credentials.secretAccessKey') });
    expect(JSON.stringify(results) + deps.logger.lines.join('\n')).not.toContain(wrong.secretAccessKey);
  });

  it('says how to allow the role to be assumed when STS refuses', async () => {
    const results = await check({ accounts: [{ id: B, roleArn: ROLE, externalId: 'not-it' }] });
    expect(results).toEqual([expect.objectContaining({ ok: false, hint: expect.stringMatching(/allow sts:AssumeRole on arn:aws:iam::444455556666:role\/masync-reader .*externalId/) })]);
  });

  it('reports an unreachable endpoint with where to look', async () => {
    const url = emu.url;
    await emu.stop();
    const results = await check({ endpoint: url, regions: ['us-east-1'] });
    // Nothing answered, so nothing says the credentials are good.
    expect(results).toEqual([expect.objectContaining({ check: `SageMaker reachable in ${A}/us-east-1`, ok: false, hint: `check that endpoint (${url}) answers AWS API calls` })]);
  });
});
