import { sageMakerSource } from '../../connectors/sources/sagemaker';
import { SageMakerEmulator } from '../../connectors/sources/sagemaker/emulator';
import type { EmulatorServer } from '../../connectors/emulator-kit';
import { describeSourceConformance } from '../conformance/source';
import { testDeps } from '../support/deps';

const ACCOUNT = '210987654321';
const KEYS = { accessKeyId: 'AKIACONFORMANCE00001', secretAccessKey: 'sagemaker-conformance-secret-5d2a' };
const GROUPS = ['alpha', 'beta', 'gamma'];

describeSourceConformance('sagemaker', {
  async setup({ credentials }) {
    const emu = new SageMakerEmulator();
    emu.identities.addUser({ account: ACCOUNT, ...KEYS });
    const s = emu.scope(ACCOUNT, 'us-east-1');
    const expectedKeys: string[] = [];
    for (const g of GROUPS) {
      s.addModelPackageGroup({ name: g, tags: { owner: 'alice' } });
      expectedKeys.push(`sagemaker://${ACCOUNT}/us-east-1/model-package-groups/${g}`);
      for (let v = 1; v <= 2; v++) {
        const pkg = s.addModelPackage({ group: g, approval: 'Approved', containers: [{ image: 'img:1', modelDataUrl: `s3://bucket/${g}/${v}/model.tar.gz` }] });
        expectedKeys.push(`sagemaker://${ACCOUNT}/us-east-1/model-package-groups/${g}/versions/${v}`);
        s.addModel({ name: `${g}-${v}`, containers: [{ image: 'img:1', modelPackageName: pkg.arn }] });
      }
      s.addEndpointConfig({ name: `${g}-cfg`, variants: [{ name: 'AllTraffic', modelName: `${g}-2`, instanceType: 'ml.m5.large' }] });
      s.addEndpoint({ name: `${g}-ep`, config: `${g}-cfg` });
      expectedKeys.push(`sagemaker://${ACCOUNT}/us-east-1/endpoints/${g}-ep`);
    }
    await emu.start();
    const secret = credentials === 'valid' ? KEYS.secretAccessKey : 'not-the-secret-key-7c4b9e';
    const deps = testDeps();
    const config = sageMakerSource.schema.parse({
      name: 'sagemaker-conf',
      type: 'sagemaker',
      endpoint: emu.url,
      accounts: [{ id: ACCOUNT, regions: ['us-east-1'] }],
      credentials: { accessKeyId: KEYS.accessKeyId, secretAccessKey: secret },
      pageSize: 2,
      http: { retries: 1 },
    });
    // The suite counts list pages by method and path, as REST APIs have them; every SageMaker call is
    // `POST /` with the operation in X-Amz-Target, so the count comes from the emulator's per-operation log.
    const emulator = Object.assign(Object.create(emu.server) as EmulatorServer, { count: (_method: string, operation: string) => emu.count(operation) });
    return {
      source: sageMakerSource.create(config, deps),
      emulator,
      deps,
      expectedKeys,
      secret,
      listPath: 'ListModelPackageGroups',
      breakNextListResponse() {
        emu.faults.inject({ path: 'ListModelPackageGroups', status: 200, body: { ModelPackageGroupSummaryList: [{ CreationTime: 1 }] }, contentType: 'application/x-amz-json-1.1' });
        return { field: 'ModelPackageGroupSummaryList[0].ModelPackageGroupName' };
      },
      teardown: () => emu.stop(),
    };
  },
});
