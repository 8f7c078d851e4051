import { ConnectorError, OutcomeUnknownError } from '../../src/errors';
import { collect } from '../support/deps';
import { createWrite, modelItem, startServiceNow, versionItem, type ServiceNowFixture } from './servicenow-setup';

const AI_PATH = '/api/now/table/cmdb_ci_appl_ai_application';

async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('ServiceNow sink: writes whose outcome is unknown (Table API)', () => {
  let fx: ServiceNowFixture;
  afterEach(() => fx.teardown());

  it('a create that outlives the client timeout is unknown, sent once, and found by lookup once it commits, past a retired copy', async () => {
    fx = await startServiceNow({ config: { writeApi: 'table', http: { timeoutMs: 150 } } });
    const write = createWrite(fx.sink, fx.mapping, modelItem('late'));
    // An earlier CI with the same identity, retired: never the answer to "did my create land?".
    const retired = fx.emu.insert('cmdb_ci_appl_ai_application', { ...write.fields, install_status: '7', operational_status: '2' });
    fx.emu.server.setChaos({ seed: 1, lateCommit: { rate: 1, delayMs: 600 }, methods: ['POST'] });
    await expect(fx.sink.apply(write, fx.ctx())).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(fx.emu.server.count('POST', AI_PATH)).toBe(1);
    expect(await fx.sink.lookup(write, fx.ctx())).toBeUndefined();
    const found = await eventually(() => fx.sink.lookup(write, fx.ctx()), (id) => id !== undefined);
    expect(found).not.toBe(retired.sys_id);
    expect(fx.emu.get('cmdb_ci', found ?? '')).toMatchObject({ correlation_id: write.fields.correlation_id, install_status: '1' });
    expect(fx.emu.server.count('POST', AI_PATH)).toBe(1);
  });

  it('a relate whose answer is lost is unknown, and lookup finds the relationship', async () => {
    fx = await startServiceNow();
    const ctx = fx.ctx();
    const model = modelItem('rel-lost');
    const m = await fx.sink.apply(createWrite(fx.sink, fx.mapping, model), ctx);
    const v = await fx.sink.apply(createWrite(fx.sink, fx.mapping, versionItem(model, '1')), ctx);
    const relate = { op: 'relate' as const, type: 'Contains::Contained by', parentId: m.id, childId: v.id, holder: 'child' as const };
    fx.emu.server.faults.inject({ method: 'POST', path: '/api/now/table/cmdb_rel_ci', afterHandling: true, status: 503 });
    await expect(fx.sink.apply(relate, ctx)).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(fx.emu.server.count('POST', '/api/now/table/cmdb_rel_ci')).toBe(1);
    const [rel] = await collect(fx.sink.readRelations(ctx));
    expect(await fx.sink.lookup(relate, ctx)).toBe(rel?.id);
  });

  it('a create the instance refused is a plain failure', async () => {
    fx = await startServiceNow();
    fx.emu.denyTable('cmdb_ci_appl_ai_application');
    const denied = await fx.sink.apply(createWrite(fx.sink, fx.mapping, modelItem('refused')), fx.ctx()).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ConnectorError);
    expect(denied).not.toBeInstanceOf(OutcomeUnknownError);
  });

  it('a create over a connection never made is a plain failure', async () => {
    fx = await startServiceNow({ retries: 0 });
    await fx.emu.stop();
    const refused = await fx.sink.apply(createWrite(fx.sink, fx.mapping, modelItem('unsent')), fx.ctx()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectorError);
    expect(refused).not.toBeInstanceOf(OutcomeUnknownError);
    expect(String(refused)).toContain('ECONNREFUSED');
  });
});
