import { linkDeployments, type LinkRules } from '../../src/enrich/link';
import type { DeploymentItem, InventoryItem, ServedModel } from '../../src/inventory';
import { deployment } from '../support/deployments';
import { modelItem, versionItem } from '../support/items';

const RULES: LinkRules = { runIdHints: ['MLFLOW_RUN_ID', 'mlflow.run_id'], referenceHints: ['mlflow.model_uri'] };
const RUN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const fraud = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud');
const v2 = versionItem(fraud, '2', { runId: RUN, artifactUri: 's3://Mlflow-Artifacts/1/a1b2c3d4e5f60718293a4b5c6d7e8f90/artifacts/model' });
const v3 = versionItem(fraud, '3', { runId: 'ffffffffffffffffffffffffffffffff', artifactUri: 's3://mlflow-artifacts/1/ffffffffffffffffffffffffffffffff/artifacts/model' });
const pkg = versionItem(modelItem('sagemaker://1/us-east-1/model-package-groups/churn', 'sm', 'churn'), '4');
const resolve = (ref: string) => (ref === 'arn:aws:sagemaker:us-east-1:1:model-package/churn/4' ? pkg.key : ref === 'models:/fraud/3' ? v3.key : undefined);
const served = (s: ServedModel[]) => deployment('ep', { variants: [{ name: 'AllTraffic', instanceType: 'ml.m5.large', currentInstanceCount: 1, served: s }] });

function link(d: InventoryItem): DeploymentItem {
  const out = linkDeployments([fraud, v2, v3, pkg, d], resolve, RULES).items.find((i) => i.kind === 'deployment');
  return out as DeploymentItem;
}

describe('linking deployments to the versions they serve', () => {
  it('a model package ARN the container names is resolved by the source that owns ARNs', () => {
    expect(link(served([{ modelPackage: 'arn:aws:sagemaker:us-east-1:1:model-package/churn/4' }])).servesVersionKey).toBe(pkg.key);
  });

  it('a model URI in a hint is resolved the same way', () => {
    expect(link(served([{ modelName: 'm', hints: { 'mlflow.model_uri': 'models:/fraud/3' } }])).servesVersionKey).toBe(v3.key);
  });

  it('a run id in a hint names the one version registered from that run', () => {
    expect(link(served([{ modelName: 'm', hints: { MLFLOW_RUN_ID: RUN } }])).servesVersionKey).toBe(v2.key);
  });

  it('model data under a version artifact URI links to it, whatever the case of scheme and bucket', () => {
    const d = link(served([{ modelDataUrl: 's3://mlflow-artifacts/1/a1b2c3d4e5f60718293a4b5c6d7e8f90/artifacts/model/model.tar.gz' }]));
    expect(d).toMatchObject({ servesVersionKey: v2.key, serves: [v2.key] });
    expect(d.variants?.[0]?.servesVersionKey).toBe(v2.key);
  });

  it('a run id in the model data path links when the URL lies under no artifact URI', () => {
    expect(link(served([{ modelDataUrl: `s3://models-copy/export/${RUN}/model.tar.gz` }])).servesVersionKey).toBe(v2.key);
  });

  it('a run id two versions share names neither; nothing matches: no link (a shadow)', () => {
    const twin = versionItem(modelItem('mlflow://m/models/twin', 'mlflow', 'twin'), '1', { runId: RUN });
    const d = linkDeployments([fraud, v2, twin, served([{ hints: { MLFLOW_RUN_ID: RUN } }])], resolve, RULES).items.find((i) => i.kind === 'deployment') as DeploymentItem;
    expect(d.servesVersionKey).toBeUndefined();
    const none = link(served([{ modelDataUrl: 's3://elsewhere/model.tar.gz', image: 'custom:1' }]));
    expect(none.servesVersionKey).toBeUndefined();
    expect(none.serves).toBeUndefined();
  });

  it('the rules are tried in order: a reference beats an artifact URI match', () => {
    const d = link(served([{ modelPackage: 'arn:aws:sagemaker:us-east-1:1:model-package/churn/4', modelDataUrl: 's3://mlflow-artifacts/1/a1b2c3d4e5f60718293a4b5c6d7e8f90/artifacts/model/model.tar.gz' }]));
    expect(d.servesVersionKey).toBe(pkg.key);
  });

  it('a multi-variant endpoint serves every variant version; the main one is the deployment own', () => {
    const d = link(
      deployment('ab', {
        variant: 'B',
        variants: [
          { name: 'A', instanceType: 'ml.m5.large', currentInstanceCount: 2, served: [{ modelPackage: 'arn:aws:sagemaker:us-east-1:1:model-package/churn/4' }] },
          { name: 'B', instanceType: 'ml.g5.xlarge', currentInstanceCount: 1, served: [{ hints: { MLFLOW_RUN_ID: RUN } }] },
        ],
      }),
    );
    expect(d.serves).toEqual([pkg.key, v2.key].sort());
    expect(d.servesVersionKey).toBe(v2.key);
  });
});
