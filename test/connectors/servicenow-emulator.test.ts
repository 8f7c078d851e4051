import { ServiceNowEmulator } from '../../connectors/sinks/servicenow/emulator';
import { SANDBOX_CREDENTIALS, seedSandboxInstance, type SandboxSeed } from '../../connectors/sinks/servicenow/fixtures/sandbox';

const basic = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.username}:${SANDBOX_CREDENTIALS.password}`).toString('base64')}`;

async function get(emu: ServiceNowEmulator, path: string, params: Record<string, string> = {}, auth = basic) {
  const res = await fetch(`${emu.url}${path}?${new URLSearchParams(params).toString()}`, { headers: { Authorization: auth } });
  return { status: res.status, headers: res.headers, body: (await res.text().then((t) => (t ? JSON.parse(t) : undefined))) as { result: Array<Record<string, unknown>> } & Record<string, unknown> };
}

async function send(emu: ServiceNowEmulator, method: string, path: string, body: unknown) {
  const res = await fetch(`${emu.url}${path}`, { method, headers: { Authorization: basic, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as { result: Record<string, unknown> } & Record<string, unknown> };
}

const names = (rows: Array<Record<string, unknown>>) => rows.map((r) => r.name).sort();

describe('ServiceNow emulator: encoded queries', () => {
  const emu = new ServiceNowEmulator();
  seedSandboxInstance(emu);
  for (const [name, install_status, short_description] of [
    ['q-a', '1', 'alpha one'],
    ['q-b', '2', 'beta'],
    ['q-c', '7', ''],
    ['x^ORname!=x', '1', 'a name that is also a query'],
  ] as const) {
    emu.insert('cmdb_ci_appl', { name, install_status, short_description, discovery_source: 'qtest' });
  }
  const q = (query: string, table = 'cmdb_ci_appl') => names(emu.query(table, query));

  it('reads ^ as AND and ^OR as OR with the condition before it', () => {
    expect(q('discovery_source=qtest^name=q-a^ORname=q-b')).toEqual(['q-a', 'q-b']);
    expect(q('name=q-a^ORname=q-b^install_status=2')).toEqual(['q-b']);
  });

  it('reads ^NQ as a new OR-ed group', () => {
    expect(q('name=q-a^install_status=2^NQname=q-c')).toEqual(['q-c']);
    expect(q('name=q-a^install_status=1^NQname=q-c')).toEqual(['q-a', 'q-c']);
  });

  it('supports the comparison and list operators', () => {
    expect(q('discovery_source=qtest^name!=q-a')).toEqual(['q-b', 'q-c', 'x^ORname!=x']);
    expect(q('nameINq-a,q-c')).toEqual(['q-a', 'q-c']);
    expect(q('discovery_source=qtest^nameNOT INq-a,q-c')).toEqual(['q-b', 'x^ORname!=x']);
    expect(q('nameSTARTSWITHq-')).toEqual(['q-a', 'q-b', 'q-c']);
    expect(q('nameENDSWITH-b')).toEqual(['q-b']);
    expect(q('short_descriptionLIKEpha')).toEqual(['q-a']);
    expect(q('discovery_source=qtest^short_descriptionISEMPTY')).toEqual(['q-c']);
    expect(q('discovery_source=qtest^short_descriptionISNOTEMPTY')).toEqual(['q-a', 'q-b', 'x^ORname!=x']);
    expect(q('discovery_source=qtest^install_status>1')).toEqual(['q-b', 'q-c']);
  });

  it('orders by ORDERBY and ORDERBYDESC', () => {
    expect(emu.query('cmdb_ci_appl', 'nameSTARTSWITHq-^ORDERBYDESCname').map((r) => r.name)).toEqual(['q-c', 'q-b', 'q-a']);
    expect(emu.query('cmdb_ci_appl', 'nameSTARTSWITHq-^ORDERBYinstall_status^ORDERBYDESCname').map((r) => r.name)).toEqual(['q-a', 'q-b', 'q-c']);
  });

  it('drops conditions on fields the table does not have, like the real default', () => {
    const all = emu.list('cmdb_ci_appl').length;
    expect(emu.query('cmdb_ci_appl', 'nmae=q-a')).toHaveLength(all);
    expect(q('nmae=q-a^name=q-b')).toEqual(['q-b']);
    // version is a cmdb_ci_appl column, not a cmdb_ci one.
    expect(emu.query('cmdb_ci', 'version=6.0').length).toBe(emu.list('cmdb_ci').length);
  });

  it('lets an unescaped ^OR inside a value rewrite the query', () => {
    const matched = q('name=x^ORname!=x');
    expect(matched).toContain('x^ORname!=x');
    expect(matched).toContain('q-a');
    expect(matched.length).toBeGreaterThan(2);
  });

  it('matches INSTANCEOF through the class hierarchy', () => {
    const appl = emu.query('cmdb_ci', 'sys_class_nameINSTANCEOFcmdb_ci_appl').map((r) => r.sys_class_name);
    expect(new Set(appl)).toEqual(new Set(['cmdb_ci_appl', 'cmdb_ci_appl_ai_application']));
    expect(emu.query('cmdb_ci', 'sys_class_name=cmdb_ci_appl').every((r) => r.sys_class_name === 'cmdb_ci_appl')).toBe(true);
  });

  it('dot-walks through references', () => {
    const [ai] = emu.query('cmdb_ci_appl', 'name=q-a');
    const [other] = emu.query('cmdb_ci_appl', 'name=q-b');
    const type = emu.query('cmdb_rel_type', 'name=Contains::Contained by')[0]?.sys_id;
    emu.insert('cmdb_rel_ci', { parent: ai?.sys_id, child: other?.sys_id, type });
    expect(emu.query('cmdb_rel_ci', 'parent.name=q-a')).toHaveLength(1);
    expect(emu.query('cmdb_rel_ci', 'parent.name=q-b^ORchild.name=q-b')).toHaveLength(1);
    expect(emu.query('cmdb_rel_ci', 'parent.discovery_source=qtest^type.name=Contains::Contained by')).toHaveLength(1);
    expect(emu.query('cmdb_rel_ci', 'parent.name=nobody')).toHaveLength(0);
  });
});

describe('ServiceNow emulator: Table API over HTTP', () => {
  let emu: ServiceNowEmulator;
  let seed: SandboxSeed;
  beforeEach(async () => {
    emu = new ServiceNowEmulator();
    seed = seedSandboxInstance(emu);
    await emu.start();
  });
  afterEach(() => emu.stop());

  it('reads a class with its subclasses, showing only the columns of the table read', async () => {
    const ci = await get(emu, '/api/now/table/cmdb_ci', { sysparm_query: 'name=SAP ERP^ORname=fraud-detector' });
    expect(names(ci.body.result)).toEqual(['SAP ERP', 'fraud-detector']);
    expect(ci.body.result[0]).not.toHaveProperty('version');
    expect(ci.body.result[0]).toHaveProperty('correlation_id');
    const appl = await get(emu, '/api/now/table/cmdb_ci_appl', { sysparm_query: 'name=SAP ERP' });
    expect(appl.body.result[0]?.version).toBe('6.0');
    const deployments = await get(emu, '/api/now/table/cmdb_ci_ai_model_deployment', { sysparm_query: 'name=SAP ERP' });
    expect(deployments).toMatchObject({ status: 200, body: { result: [] } });
  });

  it('returns the requested fields, ignores unknown ones, and renders references as asked', async () => {
    const q = { sysparm_query: 'name=SAP ERP', sysparm_fields: 'name,owned_by,no_such_field' };
    const plain = await get(emu, '/api/now/table/cmdb_ci_appl', q);
    expect(plain.body.result).toEqual([{ name: 'SAP ERP', owned_by: { link: `${emu.url}/api/now/table/sys_user/${seed.users.carol}`, value: seed.users.carol } }]);
    const excluded = await get(emu, '/api/now/table/cmdb_ci_appl', { ...q, sysparm_exclude_reference_link: 'true' });
    expect(excluded.body.result).toEqual([{ name: 'SAP ERP', owned_by: seed.users.carol }]);
    const display = await get(emu, '/api/now/table/cmdb_ci_appl', { ...q, sysparm_display_value: 'true', sysparm_exclude_reference_link: 'true' });
    expect(display.body.result).toEqual([{ name: 'SAP ERP', owned_by: 'Carol Example' }]);
    const all = await get(emu, '/api/now/table/cmdb_ci_appl', { ...q, sysparm_display_value: 'all' });
    expect(all.body.result[0]?.owned_by).toEqual({ display_value: 'Carol Example', value: seed.users.carol, link: expect.stringContaining(seed.users.carol) });
  });

  it('pages with sysparm_limit/offset and reports X-Total-Count and Link', async () => {
    const page = await get(emu, '/api/now/table/cmdb_ci_appl', { sysparm_query: 'ORDERBYname', sysparm_limit: '2', sysparm_offset: '2' });
    const total = emu.list('cmdb_ci_appl').length;
    expect(page.headers.get('x-total-count')).toBe(String(total));
    expect(page.body.result).toHaveLength(2);
    const offsets = Object.fromEntries(
      (page.headers.get('link') ?? '').split(',').map((part) => {
        const [, url = '', rel = ''] = /^<([^>]*)>;rel="(\w+)"$/.exec(part) ?? [];
        return [rel, new URL(url).searchParams.get('sysparm_offset')];
      }),
    );
    expect(offsets).toEqual({ first: '0', prev: '0', next: '4', last: String(Math.floor((total - 1) / 2) * 2) });
  });

  it('applies the limit before ACLs, so a page can be short while later pages have rows', async () => {
    emu.setReadAcl((_table, row) => row.name !== 'x');
    const all = emu.query('cmdb_ci_appl', 'ORDERBYsys_id');
    const hiddenAt = all.findIndex((r) => r.name === 'x');
    const page = await get(emu, '/api/now/table/cmdb_ci_appl', { sysparm_query: 'ORDERBYsys_id', sysparm_limit: '1', sysparm_offset: String(hiddenAt) });
    expect(page.body.result).toEqual([]);
    expect(page.headers.get('x-total-count')).toBe(String(all.length));
  });

  it('inserts with system fields set, unknown columns ignored and text cut to max_length', async () => {
    const res = await send(emu, 'POST', '/api/now/table/cmdb_ci_appl_ai_application', { name: 'n'.repeat(300), u_not_a_column: 'x', install_status: 1, sys_id: 'mine' });
    expect(res.status).toBe(201);
    const id = String(res.body.result.sys_id);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers.get('location')).toBe(`${emu.url}/api/now/table/cmdb_ci_appl_ai_application/${id}`);
    expect(res.body.result).toMatchObject({ sys_class_name: 'cmdb_ci_appl_ai_application', install_status: '1', sys_created_on: expect.any(String) });
    const stored = emu.get('cmdb_ci', id);
    expect(stored?.name).toHaveLength(255);
    expect(stored).not.toHaveProperty('u_not_a_column');
  });

  it('patches only the given fields and answers 404 in the vendor shape for an unknown sys_id', async () => {
    const patched = await send(emu, 'PATCH', `/api/now/table/cmdb_ci_appl/${seed.unmanaged.Payroll}`, { short_description: 'changed' });
    expect(patched.status).toBe(200);
    expect(emu.get('cmdb_ci_appl', seed.unmanaged.Payroll)).toMatchObject({ name: 'Payroll', short_description: 'changed' });
    const notFound = { status: 404, body: { error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" }, status: 'failure' } };
    expect(await send(emu, 'PATCH', '/api/now/table/cmdb_ci_appl/0123456789abcdef0123456789abcdef', { name: 'y' })).toMatchObject(notFound);
    expect(await get(emu, '/api/now/table/cmdb_ci_appl/0123456789abcdef0123456789abcdef')).toMatchObject(notFound);
    // A record is not found through a table it does not belong to.
    expect(await get(emu, `/api/now/table/cmdb_ci_ai_model_deployment/${seed.unmanaged.Payroll}`)).toMatchObject(notFound);
  });

  it('deletes with 204', async () => {
    const res = await fetch(`${emu.url}/api/now/table/cmdb_ci_appl/${seed.unmanaged.Payroll}`, { method: 'DELETE', headers: { Authorization: basic } });
    expect(res.status).toBe(204);
    expect(emu.get('cmdb_ci', seed.unmanaged.Payroll)).toBeUndefined();
  });

  it('rejects missing or wrong credentials with the vendor 401 body', async () => {
    const wrong = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.username}:nope`).toString('base64')}`;
    for (const auth of [wrong, '']) {
      expect(await get(emu, '/api/now/table/cmdb_ci', {}, auth)).toMatchObject({
        status: 401,
        body: { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' },
      });
    }
  });

  it('answers 400 for an unknown table and 429 with Retry-After when rate limited', async () => {
    expect((await get(emu, '/api/now/table/no_such_table')).status).toBe(400);
    emu.server.setRateLimit({ capacity: 1, refillPerSec: 0.001 });
    await get(emu, '/api/now/table/cmdb_ci', { sysparm_limit: '1' });
    const limited = await get(emu, '/api/now/table/cmdb_ci', { sysparm_limit: '1' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toEqual({ error: { message: 'Rate limit exceeded', detail: expect.stringContaining('Rate limit') }, status: 'failure' });
  });
});

describe('ServiceNow emulator: OAuth and instance shapes', () => {
  it('issues tokens for the password grant, and for client credentials only when the property is on', async () => {
    let now = Date.parse('2026-11-23T12:00:00Z');
    const emu = new ServiceNowEmulator({ tokenLifetimeSec: 60, now: () => now });
    seedSandboxInstance(emu);
    await emu.start();
    try {
      const token = (form: Record<string, string>) => fetch(`${emu.url}/oauth_token.do`, { method: 'POST', body: new URLSearchParams(form) });
      const cc = { grant_type: 'client_credentials', client_id: SANDBOX_CREDENTIALS.clientId, client_secret: SANDBOX_CREDENTIALS.clientSecret };
      expect((await token(cc)).status).toBe(401);
      emu.setClientCredentialsGrant(true);
      const granted = (await (await token(cc)).json()) as { access_token: string; expires_in: number; token_type: string };
      expect(granted).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
      expect((await get(emu, '/api/now/table/cmdb_ci', { sysparm_limit: '1' }, `Bearer ${granted.access_token}`)).status).toBe(200);
      now += 61_000;
      expect((await get(emu, '/api/now/table/cmdb_ci', { sysparm_limit: '1' }, `Bearer ${granted.access_token}`)).status).toBe(401);
      const pw = { grant_type: 'password', client_id: SANDBOX_CREDENTIALS.clientId, client_secret: SANDBOX_CREDENTIALS.clientSecret, username: SANDBOX_CREDENTIALS.username };
      expect((await token({ ...pw, password: 'wrong' })).status).toBe(401);
      expect((await token({ ...pw, password: SANDBOX_CREDENTIALS.password })).status).toBe(200);
    } finally {
      await emu.stop();
    }
  });

  it('builds instances without the AI classes, the masync choice or a custom column', () => {
    const full = new ServiceNowEmulator();
    expect(full.tableExists('cmdb_ci_ai_model_deployment')).toBe(true);
    expect(full.query('sys_choice', 'name=cmdb_ci^element=discovery_source^value=masync')).toHaveLength(1);
    const bare = new ServiceNowEmulator({ aiClasses: false, discoverySourceChoice: false, omitColumns: ['u_ml_stage'] });
    expect(bare.tableExists('cmdb_ci_ai_model_deployment')).toBe(false);
    expect(bare.tableExists('cmdb_ci_appl_ai_application')).toBe(false);
    expect(bare.query('sys_choice', 'name=cmdb_ci^element=discovery_source^value=masync')).toHaveLength(0);
    expect(bare.query('sys_dictionary', 'element=u_ml_stage')).toHaveLength(0);
    expect(bare.query('sys_dictionary', 'element=u_ml_metrics')).not.toHaveLength(0);
    const id = bare.insert('cmdb_ci_appl', { name: 'a', u_ml_stage: 'Production' }).sys_id as string;
    expect(bare.get('cmdb_ci_appl', id)).not.toHaveProperty('u_ml_stage');
  });

  it('drops a column when its dictionary entry is removed', () => {
    const emu = new ServiceNowEmulator();
    emu.removeColumn('cmdb_ci_appl', 'u_ml_region');
    const id = emu.insert('cmdb_ci_appl', { name: 'a', u_ml_region: 'eu-west-1', u_ml_stage: 'Staging' }).sys_id as string;
    expect(emu.get('cmdb_ci_appl', id)).toMatchObject({ u_ml_stage: 'Staging' });
    expect(emu.get('cmdb_ci_appl', id)).not.toHaveProperty('u_ml_region');
  });
});
