import { identityOf, isQuerySafeIdentity } from '../../connectors/sinks/servicenow/identity';
import type { SinkWrite } from '../../src/engine/types';
import { OutcomeUnknownError } from '../../src/errors';
import { collect } from '../support/deps';
import { createWrite, modelItem, sentQueries, startServiceNow, versionItem, type ServiceNowFixture } from './servicenow-setup';

const AI_PATH = '/api/now/table/cmdb_ci_appl_ai_application';

describe('identityOf', () => {
  it('keeps a plain key as it is', () => {
    expect(identityOf('mlflow://h/models/fraud-detector/versions/3')).toBe('mlflow://h/models/fraud-detector/versions/3');
  });

  it('hashes keys that are too long or carry query syntax, into a query-safe value', () => {
    const unsafe = ['mlflow://h/models/x%5EORname!%3Dx', 'mlflow://h/models/a b', 'a^ORb', 'a,b', `mlflow://h/models/${'m'.repeat(100)}`];
    const ids = unsafe.map(identityOf);
    for (const id of ids) {
      expect(id).toMatch(/^sha256:[0-9a-f]{40}$/);
      expect(isQuerySafeIdentity(id)).toBe(true);
    }
    expect(new Set(ids).size).toBe(unsafe.length);
    expect(identityOf('a^ORb')).toBe(ids[2]);
  });
});

describe('ServiceNow sink over HTTP', () => {
  let fx: ServiceNowFixture;
  afterEach(() => fx.teardown());

  const create = async (name: string, extra = {}) => {
    const w = createWrite(fx.sink, fx.mapping, modelItem(name, extra));
    return { write: w, id: (await fx.sink.apply(w, fx.ctx())).id };
  };

  it('reads managed records page by page, past pages an ACL leaves short, and nothing unmanaged', async () => {
    fx = await startServiceNow({ pageSize: 2 });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await create(`paged-${i}`)).id);
    const hidden = fx.emu.query('cmdb_ci_appl_ai_application', 'discovery_source=masync^ORDERBYsys_id')[0]?.sys_id;
    fx.emu.setReadAcl((_t, row) => row.sys_id !== hidden);
    const before = fx.emu.server.count('GET', AI_PATH);
    const records = await collect(fx.sink.readManaged(fx.ctx()));
    expect(fx.emu.server.count('GET', AI_PATH) - before).toBe(3);
    expect(records.map((r) => r.id).sort()).toEqual(ids.filter((id) => id !== hidden).sort());
    expect(records.every((r) => r.fields.discovery_source === 'masync' && r.class === 'cmdb_ci_appl_ai_application')).toBe(true);
  });

  it('PATCHes exactly the fields of an update and leaves the rest as a person set it', async () => {
    fx = await startServiceNow();
    const { write, id } = await create('patched', { description: 'first' });
    fx.emu.setField('cmdb_ci', id, 'comments', 'a note by a person');
    await fx.sink.apply({ op: 'update', class: write.class, key: write.key, id, fields: { short_description: 'second' } }, fx.ctx());
    const patches = fx.emu.server.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]?.path).toBe(`${AI_PATH}/${id}`);
    expect(patches[0]?.body).toEqual({ short_description: 'second' });
    expect(fx.emu.get('cmdb_ci', id)).toMatchObject({ short_description: 'second', comments: 'a note by a person', name: 'patched' });
  });

  it('waits as a 429 Retry-After says, then succeeds', async () => {
    fx = await startServiceNow();
    await create('limited');
    fx.emu.server.faults.inject({
      method: 'GET',
      path: AI_PATH,
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { error: { message: 'Rate limit exceeded', detail: 'Rate limit of 100 requests per hour for Table API exceeded' }, status: 'failure' },
    });
    const records = await collect(fx.sink.readManaged(fx.ctx()));
    expect(records.map((r) => r.fields.name)).toEqual(['limited']);
    expect(fx.emu.server.requests.filter((r) => r.path === AI_PATH && r.method === 'GET').map((r) => r.status)).toEqual([429, 200]);
    expect(fx.deps.logger.lines.some((l) => /→ 429, retrying in 1000 ms/.test(l))).toBe(true);
  });

  it('creates, updates and retires a model named like a query without touching any other CI', async () => {
    fx = await startServiceNow();
    const nasty = 'x^ORname!=x';
    const item = modelItem(nasty, { key: 'mlflow://h/models/x%5EORname!%3Dx', description: `${nasty} in the description` });
    const write = createWrite(fx.sink, fx.mapping, item);
    const others = () => fx.emu.list('cmdb_ci').filter((r) => r.correlation_id !== write.fields.correlation_id);
    const othersBefore = others();
    const { id } = await fx.sink.apply(write, fx.ctx());
    const [record] = await collect(fx.sink.readManaged(fx.ctx()));
    expect(record).toMatchObject({ id, identity: identityOf(item.key), fields: { name: nasty } });
    await fx.sink.apply({ op: 'update', class: write.class, key: item.key, id, fields: { name: `${nasty}^NQname=x` } }, fx.ctx());
    await fx.sink.apply({ op: 'retire', class: write.class, key: item.key, id, fields: fx.sink.retiredFields() }, fx.ctx());
    const resolved = await fx.sink.resolve?.([recordFor(write, { owned_by: nasty })], fx.ctx());
    expect(resolved?.[0]?.fields).not.toHaveProperty('owned_by');

    expect(others()).toEqual(othersBefore);
    expect(fx.emu.get('cmdb_ci', id)).toMatchObject({ name: `${nasty}^NQname=x`, install_status: '7', operational_status: '2' });
    for (const q of sentQueries(fx.emu)) {
      expect(q).not.toContain('ORname');
      expect(q).not.toContain(item.key);
    }
  });

  it('sends DELETE only for relationship rows', async () => {
    fx = await startServiceNow();
    const model = modelItem('rel-model');
    const version = versionItem(model, '1');
    const ctx = fx.ctx();
    const m = await fx.sink.apply(createWrite(fx.sink, fx.mapping, model), ctx);
    const vWrite = createWrite(fx.sink, fx.mapping, version);
    const v = await fx.sink.apply(vWrite, ctx);
    const rel = await fx.sink.apply({ op: 'relate', type: 'Contains::Contained by', parentId: m.id, childId: v.id, holder: 'child' }, ctx);
    await fx.sink.apply({ op: 'unrelate', id: rel.id }, ctx);
    // A relation already removed by someone else is not an error.
    await fx.sink.apply({ op: 'unrelate', id: rel.id }, ctx);
    await fx.sink.apply({ op: 'retire', class: vWrite.class, key: version.key, id: v.id, fields: fx.sink.retiredFields() }, ctx);
    const deletes = fx.emu.server.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path)).toEqual([`/api/now/table/cmdb_rel_ci/${rel.id}`, `/api/now/table/cmdb_rel_ci/${rel.id}`]);
    expect(fx.emu.get('cmdb_ci', m.id)).toBeDefined();
    expect(fx.emu.get('cmdb_ci', v.id)).toMatchObject({ install_status: '7' });
    await expect(fx.sink.apply({ op: 'relate', type: 'Invented::Type', parentId: m.id, childId: v.id, holder: 'child' }, ctx)).rejects.toThrow(/relationship type "Invented::Type" does not exist/);
  });

  it.each([
    ['the answer is lost after the insert', { afterHandling: true, destroy: true }, true],
    ['the gateway fails after the insert', { afterHandling: true, status: 502, body: { error: { message: 'Bad Gateway', detail: null } } }, true],
    ['the connection drops before the insert', { destroy: true }, false],
  ])('reports an unknown outcome, sends nothing again, and lookup settles it, when %s', async (_label, fault, landed) => {
    fx = await startServiceNow();
    const write = createWrite(fx.sink, fx.mapping, modelItem('ambiguous'));
    fx.emu.server.faults.inject({ method: 'POST', path: AI_PATH, ...fault });
    await expect(fx.sink.apply(write, fx.ctx())).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(fx.emu.server.count('POST', AI_PATH)).toBe(1);
    const stored = fx.emu.query('cmdb_ci', `correlation_id=${write.fields.correlation_id}`);
    expect(stored).toHaveLength(landed ? 1 : 0);
    expect(await fx.sink.lookup(write, fx.ctx())).toBe(stored[0]?.sys_id);
  });
});

function recordFor(write: Extract<SinkWrite, { op: 'create' }>, fields: Record<string, string>) {
  return {
    key: write.key,
    kind: 'model' as const,
    source: 'mlflow-test',
    class: write.class,
    fields: { ...write.fields, ...fields },
    sinkAuthoritative: [],
    relations: [],
    lookups: { owned_by: { table: 'sys_user', match: ['user_name', 'email'] } },
  };
}
