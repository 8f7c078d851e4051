import { tickingClock, WandbEmulator } from '../../connectors/sources/wandb/emulator';
import { wandbSource } from '../../connectors/sources/wandb';
import type { EmulatorServer } from '../../connectors/emulator-kit';
import { describeSourceConformance } from '../conformance/source';
import { testDeps } from '../support/deps';

const API_KEY = 'wandb-conformance-key-7f3a90';
const PROJECTS = ['fraud', 'churn'];
const COLLECTIONS = ['alpha', 'beta', 'gamma'];
const VERSIONS = 3;

/*
 * The suite counts list pages as GETs of `listPath`; every W&B read is a POST
 * to /graphql. This view of the emulator's log counts those POSTs instead.
 */
function postsCountedAsGets(server: EmulatorServer): EmulatorServer {
  return new Proxy(server, {
    get(target, prop, receiver) {
      if (prop === 'count') return (method: string, prefix?: string) => target.count(method === 'GET' ? 'POST' : method, prefix);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

describeSourceConformance('wandb', {
  async setup({ credentials }) {
    const emu = new WandbEmulator({ apiKeys: { [API_KEY]: 'alice' }, clock: tickingClock() });
    for (const project of PROJECTS) {
      for (const name of COLLECTIONS) {
        for (let v = 0; v < VERSIONS; v++) {
          const run = emu.logRun({ project: `acme/${project}`, user: 'bob', config: { lr: 0.1 * (v + 1) }, summary: { auc: 0.5 + v / 10 } });
          emu.logArtifact({ collection: `acme/${project}/${name}`, run, aliases: v === VERSIONS - 1 ? ['production'] : [] });
        }
      }
    }
    await emu.start();
    const secret = credentials === 'valid' ? API_KEY : 'not-the-right-key-9c1e44';
    const deps = testDeps({ retries: 1 });
    const config = wandbSource.schema.parse({ name: 'wandb-conf', type: 'wandb', url: emu.url, apiKey: secret, entity: 'acme', projects: PROJECTS, pageSize: 2 });
    const ns = new URL(emu.url).host;
    const expectedKeys = PROJECTS.flatMap((project) =>
      COLLECTIONS.flatMap((name) => [`wandb://${ns}/acme/${project}/${name}`, ...Array.from({ length: VERSIONS }, (_, v) => `wandb://${ns}/acme/${project}/${name}:v${v}`)]),
    );
    return {
      source: wandbSource.create(config, deps),
      emulator: postsCountedAsGets(emu.server),
      deps,
      expectedKeys,
      secret,
      listPath: '/graphql',
      breakNextListResponse() {
        const page = { pageInfo: { hasNextPage: false, endCursor: null }, edges: [{ node: { __typename: 'ArtifactSequence', id: 'QXJ0aWZhY3RTZXF1ZW5jZTox' } }] };
        emu.server.faults.inject({ method: 'POST', path: '/graphql', status: 200, body: { data: { project: { name: 'fraud', artifactType: { artifactCollections: page } } } } });
        return { field: 'project.artifactType.artifactCollections.edges[0].node.name' };
      },
      teardown: () => emu.stop(),
    };
  },
});
