import { formatKey, keyOfArn, parseKey, sageMakerSource, scopeOfKey, type SageMakerRef } from '../../connectors/sources/sagemaker';
import { testDeps } from '../support/deps';

const A = '111122223333';

describe('SageMaker key codec', () => {
  const refs: SageMakerRef[] = [
    { kind: 'model', account: A, region: 'us-east-1', group: 'churn-model' },
    { kind: 'model_version', account: A, region: 'us-east-1', group: 'churn-model', version: 12 },
    { kind: 'deployment', account: A, region: 'eu-west-1', endpoint: 'fraud-ab-test' },
    { kind: 'deployment', account: A, region: 'eu-west-1', endpoint: 'shared-llm-host', component: 'summarizer' },
  ];

  it('builds keys that parse back to what built them', () => {
    expect(refs.map(formatKey)).toEqual([
      `sagemaker://${A}/us-east-1/model-package-groups/churn-model`,
      `sagemaker://${A}/us-east-1/model-package-groups/churn-model/versions/12`,
      `sagemaker://${A}/eu-west-1/endpoints/fraud-ab-test`,
      `sagemaker://${A}/eu-west-1/endpoints/shared-llm-host/components/summarizer`,
    ]);
    for (const ref of refs) expect(parseKey(formatKey(ref))).toEqual(ref);
    expect(refs.map((r) => scopeOfKey(formatKey(r)))).toEqual([`${A}/us-east-1`, `${A}/us-east-1`, `${A}/eu-west-1`, `${A}/eu-west-1`]);
  });

  it('keys a name as its ARN has it, so an ARN maps to exactly one key', () => {
    expect(formatKey({ kind: 'deployment', account: A, region: 'us-east-1', endpoint: 'DEMO-Ep' })).toBe(`sagemaker://${A}/us-east-1/endpoints/demo-ep`);
    expect(keyOfArn(`arn:aws:sagemaker:us-east-1:${A}:endpoint/demo-ep`)).toBe(`sagemaker://${A}/us-east-1/endpoints/demo-ep`);
    expect(keyOfArn(`arn:aws:sagemaker:us-east-1:${A}:model-package/churn-model/3`)).toBe(`sagemaker://${A}/us-east-1/model-package-groups/churn-model/versions/3`);
    expect(keyOfArn(`arn:aws:sagemaker:us-east-1:${A}:model-package-group/churn-model`)).toBe(`sagemaker://${A}/us-east-1/model-package-groups/churn-model`);
    expect(keyOfArn(`arn:aws:sagemaker:us-east-1:${A}:model/churn-v2`)).toBeUndefined();
    expect(keyOfArn(`arn:aws:sagemaker:us-east-1:${A}:model-package/churn-model/0`)).toBeUndefined();
  });

  it('rejects what it would not build', () => {
    for (const key of [
      `sagemaker://${A}/us-east-1/endpoints/Demo-Ep`,
      `sagemaker://${A}/us-east-1/model-package-groups/g/versions/01`,
      `sagemaker://${A}/us-east-1/model-package-groups/g/components/c`,
      `sagemaker://${A}/us-east-1/endpoints/e/versions/1`,
      `sagemaker://12345/us-east-1/endpoints/e`,
      `sagemaker://${A}/us-east-1/endpoints/e/components/c/x`,
      `sagemaker://${A}/us-east-1/endpoints/%E0%A4%A`,
      `mlflow://host/models/m`,
    ]) {
      expect([key, parseKey(key)]).toEqual([key, undefined]);
    }
  });

  it('a source claims only keys of the accounts and regions it reads', () => {
    const source = sageMakerSource.create(
      sageMakerSource.schema.parse({ name: 'sm', type: 'sagemaker', accounts: [{ id: A, regions: ['us-east-1'] }], credentials: { accessKeyId: 'AKIAKEYSTEST00000001', secretAccessKey: 'x' } }),
      testDeps(),
    );
    expect(source.kindOfKey(`sagemaker://${A}/us-east-1/endpoints/e/components/c`)).toBe('deployment');
    expect(source.kindOfKey(`sagemaker://${A}/eu-west-1/endpoints/e`)).toBeUndefined();
    expect(source.kindOfKey(`sagemaker://444455556666/us-east-1/endpoints/e`)).toBeUndefined();
    expect(source.scopeOfKey?.(`sagemaker://${A}/us-east-1/model-package-groups/g/versions/2`)).toBe(`${A}/us-east-1`);
    expect(source.scopeOfKey?.(`sagemaker://${A}/eu-west-1/endpoints/e`)).toBeUndefined();
  });
});
