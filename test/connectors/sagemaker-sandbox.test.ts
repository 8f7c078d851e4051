import { MlflowEmulator, tickingClock } from '../../connectors/sources/mlflow/emulator';
import { mlflowSource } from '../../connectors/sources/mlflow';
import { seedSandbox as seedMlflowSandbox } from '../../connectors/sources/mlflow/fixtures/sandbox';
import { minimumCalls, sageMakerSource, type SageMakerConfig } from '../../connectors/sources/sagemaker';
import { startSageMakerSandbox } from '../../connectors/sources/sagemaker/sandbox';
import { memoryCache, standaloneContext, strictSourceContext, type SourceContext } from '../../src/engine/types';
import type { DeploymentItem, InventoryItem, ModelVersionItem } from '../../src/inventory';
import type { SandboxPart } from '../../src/sandbox/part';
import { collect, testCtx, testDeps, type TestDeps } from '../support/deps';

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = 86_400_000;

/** The part's config entry with its ${ENV} references filled from the part's own env, as the config loader would. */
function sourceOf(part: SandboxPart, deps: TestDeps) {
  const text = JSON.stringify(part.config).replace(/\$\{(\w+)\}/g, (_, name: string) => part.env[name] ?? '');
  return sageMakerSource.create(sageMakerSource.schema.parse(JSON.parse(text)) as SageMakerConfig, deps);
}

const warmCtx = (deps: TestDeps, cache = memoryCache()): SourceContext => strictSourceContext({ ...standaloneContext(deps.logger, deps.clock), cache, full: false });
const requests = (part: SandboxPart) => part.server.count('POST');

describe('SageMaker sandbox part', () => {
  let part: SandboxPart | undefined;
  afterEach(() => part?.stop());

  it('holds the cases the demo and the findings rely on, and doctor passes', async () => {
    part = await startSageMakerSandbox({}, NOW);
    const deps = testDeps({ clock: { now: () => new Date(NOW) } });
    const source = sourceOf(part, deps);
    expect((await source.check(testCtx(deps))).filter((r) => !r.ok)).toEqual([]);
    const items = await collect(source.list(testCtx(deps)));
    const get = (suffix: string) => items.find((i) => i.key.endsWith(suffix)) as DeploymentItem;
    expect(items.filter((i) => i.kind === 'deployment')).toHaveLength(12);

    // A zombie: in service for 200 days (its traffic is CloudWatch's to tell).
    expect(get('/endpoints/credit-risk-nightly')).toMatchObject({ status: 'InService', createdAt: new Date(NOW - 200 * DAY).toISOString() });
    // Shadow AI: its artifacts are no registered version's, and nobody owns it.
    const artifacts = new Set(items.filter((i): i is ModelVersionItem => i.kind === 'model_version').map((v) => v.artifactUri));
    const shadow = get('/endpoints/sentiment-poc');
    expect(artifacts.has(shadow.variants?.[0]?.served[0]?.modelDataUrl)).toBe(false);
    expect(shadow.owner).toBeUndefined();
    // Serving an approved package, and one that was rejected ("retired but serving").
    const packageOf = (suffix: string) => get(suffix).variants?.[0]?.served[0]?.modelPackage;
    const approval = (arn: string | undefined) => (items.find((i) => i.kind === 'model_version' && arn?.endsWith(`${i.name}/${i.version}`)) as ModelVersionItem | undefined)?.approval;
    expect(approval(packageOf('/endpoints/churn-scoring'))).toBe('Approved');
    expect(approval(packageOf('/endpoints/credit-risk-canary'))).toBe('Rejected');
    expect(get('/endpoints/churn-serverless').variants?.[0]?.serverless).toBeDefined();
    expect(get('/endpoints/fraud-ab-test').variants?.map((v) => v.instanceType)).toEqual(['ml.c5.xlarge', 'ml.c5.2xlarge']);
    expect(items.filter((i) => i.kind === 'deployment' && i.component)).toHaveLength(2);
    expect(get('/eu-west-1/endpoints/churn-scoring-eu').region).toBe('eu-west-1');
  });

  it('the MLflow-served endpoint names the run of the MLflow sandbox’s fraud-detector version 2', async () => {
    part = await startSageMakerSandbox({}, NOW);
    const deps = testDeps();
    const served = (await collect(sourceOf(part, deps).list(testCtx(deps)))).find((i) => i.key.endsWith('/endpoints/fraud-detector-prod')) as DeploymentItem;
    const mlflow = new MlflowEmulator({ clock: tickingClock() });
    seedMlflowSandbox(mlflow);
    await mlflow.start();
    try {
      const source = mlflowSource.create(mlflowSource.schema.parse({ name: 'mlflow', type: 'mlflow', url: mlflow.url }), deps);
      const v2 = (await collect(source.list(testCtx(deps)))).find((i): i is ModelVersionItem => i.kind === 'model_version' && i.name === 'fraud-detector' && i.version === '2');
      const container = served.variants?.[0]?.served[0];
      expect(v2?.runId).toMatch(/^[0-9a-f]{32}$/);
      expect(container?.hints).toMatchObject({ MLFLOW_RUN_ID: v2?.runId, 'mlflow.run_id': v2?.runId });
      expect(container?.modelDataUrl).toContain(`/${v2?.runId}/artifacts/model`);
    } finally {
      await mlflow.stop();
    }
  });

  it('a read makes exactly the fewest calls the lower bound allows, cold and warm', async () => {
    part = await startSageMakerSandbox({}, NOW);
    const deps = testDeps();
    const source = sourceOf(part, deps);
    const cache = memoryCache();
    const scopes = [
      { groups: 2, packages: 5, endpoints: 9, endpointConfigs: 9, models: 9, components: 2 },
      { groups: 1, packages: 1, endpoints: 1, endpointConfigs: 1, models: 1, components: 0 },
    ];
    await collect(source.list(warmCtx(deps, cache)));
    const cold = requests(part);
    expect(cold).toBe(minimumCalls({ scopes, pageSize: 100 }));
    await collect(source.list(warmCtx(deps, cache)));
    expect(requests(part) - cold).toBe(minimumCalls({ scopes, pageSize: 100, warm: true }));
  });

  it('scales to a bulk account, at the lower bound too', async () => {
    part = await startSageMakerSandbox({ scale: { models: 40, versionsPerModel: 3 } }, NOW);
    const deps = testDeps();
    const items: InventoryItem[] = await collect(sourceOf(part, deps).list(warmCtx(deps)));
    expect(items).toHaveLength(40 + 120 + 40);
    expect(requests(part)).toBe(minimumCalls({ scopes: [{ groups: 40, packages: 120, endpoints: 40, endpointConfigs: 40, models: 40, components: 0 }], pageSize: 100 }));
  });
});
