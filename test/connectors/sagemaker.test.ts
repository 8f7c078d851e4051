import { sageMakerSource } from '../../connectors/sources/sagemaker';
import { SageMakerEmulator } from '../../connectors/sources/sagemaker/emulator';
import { SANDBOX_ACCOUNT as ACCOUNT, SANDBOX_KEYS as KEYS, seedSageMakerSandbox } from '../../connectors/sources/sagemaker/fixtures/sandbox';
import { memoryCache, standaloneContext, type Source, type SourceContext } from '../../src/engine/types';
import type { DeploymentItem, InventoryItem, ModelItem, ModelVersionItem } from '../../src/inventory';
import { collect, testDeps, type TestDeps } from '../support/deps';

const NOW = Date.UTC(2026, 10, 23, 12);
const prefix = `sagemaker://${ACCOUNT}`;

describe('SageMaker source against the emulator', () => {
  let emu: SageMakerEmulator;
  let deps: TestDeps;
  let source: Source;

  beforeEach(async () => {
    emu = new SageMakerEmulator();
    emu.identities.addUser({ account: ACCOUNT, ...KEYS });
    seedSageMakerSandbox(emu, NOW);
    await emu.start();
    deps = testDeps();
    const config = sageMakerSource.schema.parse({
      name: 'sm',
      type: 'sagemaker',
      endpoint: emu.url,
      accounts: [{ id: ACCOUNT }],
      regions: ['us-east-1', 'eu-west-1'],
      credentials: KEYS,
      pageSize: 2,
    });
    source = sageMakerSource.create(config, deps);
  });
  afterEach(() => emu.stop());

  const ctx = (): SourceContext => ({
    ...standaloneContext(deps.logger, deps.clock),
    full: false,
    scopeFailed: (scope, error) => {
      throw new Error(`scope ${scope} failed: ${String(error)}`);
    },
    skipped: (r) => {
      throw new Error(`skipped ${r.item}: ${String(r.error)}`);
    },
  });
  const byKey = (items: InventoryItem[]) => new Map(items.map((i) => [i.key, i]));

  it('reads every group, version, endpoint and inference component of both regions, paging every list', async () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, `v${i}`]));
    emu.scope(ACCOUNT, 'us-east-1').addTags(`arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/churn-scoring`, many);
    const items = await collect(source.list(ctx()));
    // Tags come 50 to a page: all 62 of them, over two ListTags pages.
    expect(Object.keys(byKey(items).get(`${prefix}/us-east-1/endpoints/churn-scoring`)?.tags ?? {})).toHaveLength(62);
    const kinds = items.reduce<Record<string, number>>((n, i) => ({ ...n, [i.kind]: (n[i.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ model: 3, model_version: 6, deployment: 12 });
    // Pages of 2: 2 groups, 5 packages, 9 endpoints and 2 components in us-east-1.
    const pages = ['ListModelPackageGroups', 'ListModelPackages', 'ListEndpoints', 'ListInferenceComponents'].map((op) => emu.count(op, `${ACCOUNT}/us-east-1`));
    expect(pages).toEqual([1, 3, 5, 1]);
    for (const item of items) {
      expect(source.kindOfKey(item.key)).toBe(item.kind);
      expect(source.scopeOfKey?.(item.key)).toMatch(new RegExp(`^${ACCOUNT}/(us-east-1|eu-west-1)$`));
    }
    expect(byKey(items).has(`${prefix}/eu-west-1/endpoints/churn-scoring-eu`)).toBe(true);
  });

  it('maps a model package version: approval, status, metrics from numeric metadata, reports, owner from the group', async () => {
    const items = byKey(await collect(source.list(ctx())));
    const v2 = items.get(`${prefix}/us-east-1/model-package-groups/churn-model/versions/2`) as ModelVersionItem;
    expect(v2).toMatchObject({
      kind: 'model_version',
      name: 'churn-model',
      version: '2',
      versionOf: `${prefix}/us-east-1/model-package-groups/churn-model`,
      approval: 'Approved',
      status: 'Completed',
      stage: 'Production',
      artifactUri: 's3://masync-demo-models/churn-model/v2/model.tar.gz',
      metrics: { auc: 0.86 },
      params: { framework: 'xgboost' },
      links: { 'ModelQuality.Statistics': 's3://masync-demo-models/churn-model/v2/evaluation.json' },
      owner: 'bob',
      costCenter: 'Customer Growth',
      createdAt: new Date(NOW - 90 * 86_400_000).toISOString(),
    });
    const model = items.get(`${prefix}/us-east-1/model-package-groups/churn-model`) as ModelItem;
    expect(model).toMatchObject({ kind: 'model', description: 'Monthly churn propensity', latestVersions: { Rejected: '1', Approved: '2', PendingManualApproval: '3' }, owner: 'bob' });
  });

  it('maps endpoints: every variant with its instances and what it serves, the hints that name an MLflow run', async () => {
    const items = byKey(await collect(source.list(ctx())));
    const ab = items.get(`${prefix}/us-east-1/endpoints/fraud-ab-test`) as DeploymentItem;
    expect(ab).toMatchObject({ endpoint: 'fraud-ab-test', status: 'InService', region: 'us-east-1', account: ACCOUNT, variant: 'champion', instanceType: 'ml.c5.xlarge', instanceCount: 2 });
    expect(ab.arn).toBe(`arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/fraud-ab-test`);
    expect(ab.variants?.map((v) => [v.name, v.instanceType, v.currentInstanceCount, v.weight])).toEqual([
      ['champion', 'ml.c5.xlarge', 1, 0.8],
      ['challenger', 'ml.c5.2xlarge', 1, 0.2],
    ]);
    expect(ab.variants?.[0]?.served).toEqual([
      {
        modelName: 'fraud-detector-v2',
        image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/mlflow-pyfunc:2.9.2',
        modelDataUrl: 's3://masync-demo-mlflow-artifacts/1/00000000000000000000000000000002/artifacts/model/model.tar.gz',
        // The environment's other entries (GUNICORN_CMD_ARGS) are not hints, and are never kept.
        hints: { MLFLOW_RUN_ID: '00000000000000000000000000000002', MLFLOW_DEPLOYMENT_FLAVOR_NAME: 'python_function', 'mlflow.run_id': '00000000000000000000000000000002', 'mlflow.model_name': 'fraud-detector' },
      },
    ]);
    const serverless = items.get(`${prefix}/us-east-1/endpoints/churn-serverless`) as DeploymentItem;
    expect(serverless.variants?.[0]).toMatchObject({ serverless: { memorySizeMb: 2048, maxConcurrency: 5 }, served: [{ modelName: 'churn-v2', modelPackage: expect.stringMatching(/model-package\/churn-model\/2$/) }] });
    expect(serverless.instanceType).toBeUndefined();
    expect(serverless.instanceCount).toBeUndefined();
    expect(items.get(`${prefix}/us-east-1/endpoints/shared-llm-host`)).toMatchObject({ instanceType: 'ml.g5.12xlarge', instanceCount: 1, variants: [{ minInstanceCount: 0, served: [] }] });
    expect(items.get(`${prefix}/us-east-1/endpoints/sentiment-poc`)).toMatchObject({ tags: {}, variants: [{ served: [{ modelDataUrl: 's3://ds-scratch-jdoe/sentiment/model.tar.gz' }] }] });
    expect((items.get(`${prefix}/us-east-1/endpoints/sentiment-poc`) as DeploymentItem).owner).toBeUndefined();
  });

  it('makes each inference component its own deployment, keyed below its endpoint', async () => {
    const items = byKey(await collect(source.list(ctx())));
    const summarizer = items.get(`${prefix}/us-east-1/endpoints/shared-llm-host/components/summarizer`) as DeploymentItem;
    expect(summarizer).toMatchObject({
      kind: 'deployment',
      name: 'summarizer',
      endpoint: 'shared-llm-host',
      component: 'summarizer',
      copyCount: 2,
      variant: 'AllTraffic',
      instanceType: 'ml.g5.12xlarge',
      owner: 'dave',
      costCenter: 'Platform',
      variants: [{ name: 'AllTraffic', served: [{ modelName: 'summarizer-llm', modelDataUrl: 's3://masync-demo-models/summarizer-llm/weights/' }] }],
    });
    // The instances belong to (and are billed on) the endpoint.
    expect(summarizer.instanceCount).toBeUndefined();
    expect(source.kindOfKey(summarizer.key)).toBe('deployment');
  });

  it('describes an endpoint config or model shared by several endpoints once per read', async () => {
    await collect(source.list(ctx()));
    // churn-v2 serves churn-scoring and churn-serverless; fraud-detector-v2 serves fraud-detector-prod and fraud-ab-test.
    expect(emu.count('DescribeModel', `${ACCOUNT}/us-east-1`)).toBe(9);
    expect(emu.count('DescribeEndpoint', `${ACCOUNT}/us-east-1`)).toBe(9);
    expect(emu.count('DescribeEndpointConfig', `${ACCOUNT}/us-east-1`)).toBe(9);
  });

  it('a warm cache makes no Describe or ListTags call for unchanged resources; a changed endpoint alone is described again', async () => {
    const cache = memoryCache();
    await collect(source.list({ ...ctx(), cache }));
    const before = emu.calls.length;
    const second = await collect(source.list({ ...ctx(), cache }));
    expect(new Set(emu.calls.slice(before).map((c) => c.operation))).toEqual(new Set(['ListModelPackageGroups', 'ListModelPackages', 'ListEndpoints', 'ListInferenceComponents']));
    expect(second).toHaveLength(21);

    emu.scope(ACCOUNT, 'us-east-1').updateEndpoint('churn-scoring', { instanceCounts: { AllTraffic: 4 } });
    const mark = emu.calls.length;
    const third = byKey(await collect(source.list({ ...ctx(), cache })));
    const described = emu.calls.slice(mark).filter((c) => c.operation.startsWith('Describe')).map((c) => c.operation);
    expect(described.sort()).toEqual(['DescribeEndpoint', 'DescribeEndpointConfig', 'DescribeModel']);
    expect((third.get(`${prefix}/us-east-1/endpoints/churn-scoring`) as DeploymentItem).instanceCount).toBe(4);
  });

  it('a full read trusts no cached answer', async () => {
    const cache = memoryCache();
    await collect(source.list({ ...ctx(), cache }));
    const mark = emu.calls.length;
    await collect(source.list({ ...ctx(), cache, full: true }));
    expect(emu.calls.slice(mark).filter((c) => c.operation === 'DescribeModelPackage')).toHaveLength(6);
    expect(emu.calls.slice(mark).filter((c) => c.operation === 'DescribeEndpoint')).toHaveLength(10);
  });

  it('a package whose approval changed is described again, with its new status', async () => {
    const cache = memoryCache();
    await collect(source.list({ ...ctx(), cache }));
    const east = emu.scope(ACCOUNT, 'us-east-1');
    east.updateModelPackage(`arn:aws:sagemaker:us-east-1:${ACCOUNT}:model-package/churn-model/3`, { approval: 'Approved', customerMetadata: { auc: '0.9' } });
    const mark = emu.calls.length;
    const items = byKey(await collect(source.list({ ...ctx(), cache })));
    expect(emu.calls.slice(mark).filter((c) => c.operation === 'DescribeModelPackage')).toHaveLength(1);
    expect(items.get(`${prefix}/us-east-1/model-package-groups/churn-model/versions/3`)).toMatchObject({ approval: 'Approved', metrics: { auc: 0.9 } });
  });
});
