import { describeSinkConformance } from '../conformance/sink';
import { modelItem, createWrite, startServiceNow, BASIC_AUTH } from './servicenow-setup';

const PAGE_SIZE = 3;

describeSinkConformance('servicenow', {
  async setup({ credentials }) {
    const password = credentials === 'valid' ? BASIC_AUTH.password : 'not-the-right-password';
    const fx = await startServiceNow({ pageSize: PAGE_SIZE, auth: { username: BASIC_AUTH.username, password } });
    const readPath = '/api/now/table/cmdb_ci_appl_ai_application';
    return {
      sink: fx.sink,
      emulator: fx.emu.server,
      deps: fx.deps,
      secret: password,
      makeCreates: (n) => Array.from({ length: n }, (_, i) => createWrite(fx.sink, fx.mapping, modelItem(`conformance-model-${i}`, { description: `model number ${i}` }))),
      updatableField: { field: 'short_description', value: 'updated by the conformance suite' },
      pageSize: PAGE_SIZE,
      readPath,
      breakNextReadResponse() {
        fx.emu.server.faults.inject({ method: 'GET', path: readPath, status: 200, body: { result: [{ sys_id: 42, name: 'broken' }] }, headers: { 'X-Total-Count': '1' } });
        return { field: 'result[0].sys_id' };
      },
      teardown: fx.teardown,
    };
  },
});
