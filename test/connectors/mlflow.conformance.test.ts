import { MlflowEmulator, tickingClock } from '../../connectors/sources/mlflow/emulator';
import { mlflowSource } from '../../connectors/sources/mlflow';
import { describeSourceConformance } from '../conformance/source';
import { testDeps } from '../support/deps';

const TOKEN = 'mlflow-conformance-token-7f3a';
const MODELS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const VERSIONS_PER_MODEL = 2;

describeSourceConformance('mlflow', {
  async setup({ credentials }) {
    const emu = new MlflowEmulator({ auth: { token: TOKEN }, clock: tickingClock() });
    for (const [i, name] of MODELS.entries()) {
      emu.addModel({ name, tags: { owner: 'alice' } });
      for (let v = 0; v < VERSIONS_PER_MODEL; v++) {
        const runId = emu.addRun({ experimentId: String(i), userId: 'bob', metrics: { auc: 0.5 + v / 10 }, params: { lr: '0.1' } });
        emu.addVersion({ name, source: `s3://bucket/${name}/${v}`, runId, stage: v === 0 ? 'Production' : 'None' });
      }
    }
    await emu.start();
    const secret = credentials === 'valid' ? TOKEN : 'not-the-right-token-9c1e';
    const deps = testDeps({ retries: 1 });
    const config = mlflowSource.schema.parse({ name: 'mlflow-conf', type: 'mlflow', url: emu.url, auth: { token: secret }, pageSize: 2 });
    const ns = new URL(emu.url).host;
    const expectedKeys = MODELS.flatMap((name) => [
      `mlflow://${ns}/models/${name}`,
      ...Array.from({ length: VERSIONS_PER_MODEL }, (_, v) => `mlflow://${ns}/models/${name}/versions/${v + 1}`),
    ]);
    return {
      source: mlflowSource.create(config, deps),
      emulator: emu.server,
      deps,
      expectedKeys,
      secret,
      listPath: '/api/2.0/mlflow/registered-models/search',
      breakNextListResponse() {
        emu.server.faults.inject({ method: 'GET', path: '/api/2.0/mlflow/registered-models/search', status: 200, body: { registered_models: [{ creation_timestamp: 1 }] } });
        return { field: 'registered_models[0].name' };
      },
      teardown: () => emu.stop(),
    };
  },
});
