import type { CreateWrite } from '../../src/engine/types';
import { describeSinkConformance, type RelationCase } from '../conformance/sink';
import { createWrite, deploymentItem, DEPLOYMENTS, modelItem, startJira, versionItem, type JiraFixture } from './jira-setup';

const PAGE_SIZE = 3;

for (const deployment of DEPLOYMENTS) {
  describeSinkConformance(`jira-assets (${deployment})`, {
    async setup({ credentials }) {
      const fx = await startJira({ deployment, pageSize: PAGE_SIZE, ...(credentials === 'invalid' ? { secret: 'not-the-right-token' } : {}) });
      const cloud = deployment === 'cloud';
      const readPath = `${fx.base}${cloud ? 'object/aql' : 'aql/objects'}`;
      return {
        sink: fx.sink,
        emulator: fx.emu.server,
        deps: fx.deps,
        secret: fx.secret,
        makeCreates: (n) => Array.from({ length: n }, (_, i) => write(fx, modelItem(`conformance-model-${i}`, { description: `model number ${i}` }))),
        updatableField: { field: 'Description', value: 'updated by the conformance suite' },
        pageSize: PAGE_SIZE,
        readPath,
        readMethod: cloud ? 'POST' : 'GET',
        createPath: `${fx.base}object/create`,
        relations: relationCases(fx),
        breakNextReadResponse() {
          const body = cloud ? { values: [{ id: '1', objectKey: 7, objectType: { id: '1' } }], isLast: true } : { objectEntries: [{ id: 1, objectKey: 7, objectType: { id: 1 } }], pageSize: 1 };
          fx.emu.server.faults.inject({ method: cloud ? 'POST' : 'GET', path: readPath, status: 200, body });
          return { field: `${cloud ? 'values' : 'objectEntries'}[0].objectKey` };
        },
        teardown: fx.teardown,
      };
    },
  });
}

/** A version's single "Model" (the child holds it) and a deployment's "Serves" (the parent holds several). */
function relationCases(fx: JiraFixture): RelationCase[] {
  let n = 0;
  const many = (count: number, make: (i: number) => CreateWrite) => Array.from({ length: count }, () => make(n++));
  const model = (i: number) => write(fx, modelItem(`rel-model-${i}`));
  const version = (i: number) => write(fx, versionItem(modelItem(`rel-model-of-${i}`), String(i)));
  const deployment = (i: number) => write(fx, deploymentItem(`rel-endpoint-${i}`));
  return [
    { type: 'Model', holder: 'child', parents: (c) => many(c, model), children: (c) => many(c, version), several: false },
    { type: 'Serves', holder: 'parent', parents: (c) => many(c, deployment), children: (c) => many(c, version), several: true },
  ];
}

function write(fx: JiraFixture, item: Parameters<typeof createWrite>[2]): CreateWrite {
  return createWrite(fx.sink, fx.mapping, item);
}
