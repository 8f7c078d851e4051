import { ServiceNowEmulator } from '../../connectors/sinks/servicenow/emulator';
import { SANDBOX_CREDENTIALS, seedSandboxInstance, type SandboxSeed } from '../../connectors/sinks/servicenow/fixtures/sandbox';

const basic = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.username}:${SANDBOX_CREDENTIALS.password}`).toString('base64')}`;
const AI = '/api/now/table/cmdb_ci_appl_ai_application';
const json = [
  { name: 'Content-Type', value: 'application/json' },
  { name: 'Accept', value: 'application/json' },
];
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
const unb64 = (s: string) => {
  const text = Buffer.from(s, 'base64').toString('utf8');
  return text ? (JSON.parse(text) as { result?: Record<string, unknown> | Array<Record<string, unknown>>; error?: { message: string } }) : undefined;
};

interface Serviced {
  id: string;
  status_code: number;
  status_text: string;
  body: string;
  headers: Array<{ name: string; value: string }>;
  execution_time: number;
}

async function batch(emu: ServiceNowEmulator, rest_requests: unknown[], auth = basic) {
  const res = await fetch(`${emu.url}/api/now/v1/batch`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ batch_request_id: 'b-1', rest_requests }),
  });
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as { batch_request_id: string; serviced_requests: Serviced[]; unserviced_requests: string[]; error?: { message: string } };
  return { status: res.status, body, byId: new Map(body.serviced_requests?.map((s) => [s.id, s]) ?? []) };
}

const insert = (id: string, name: string) => ({ id, method: 'POST', url: `${AI}?sysparm_fields=sys_id`, headers: json, body: b64({ name, discovery_source: 'masync', correlation_id: `c-${name}` }) });

describe('ServiceNow emulator: Batch API', () => {
  let emu: ServiceNowEmulator;
  let seed: SandboxSeed;
  beforeEach(async () => {
    emu = new ServiceNowEmulator();
    seed = seedSandboxInstance(emu);
    await emu.start();
  });
  afterEach(() => emu.stop());

  it('runs each sub-request through the Table API and answers in the documented shape', async () => {
    const rel = emu.query('cmdb_rel_ci', `parent=${seed.unmanaged['SAP ERP']}`)[0]?.sys_id;
    const { status, body, byId } = await batch(emu, [
      insert('1', 'batched'),
      { id: '2', method: 'GET', url: '/api/now/table/sys_user?sysparm_query=user_name%3Dalice&sysparm_fields=sys_id,user_name', headers: json, exclude_response_headers: true },
      { id: '3', method: 'PATCH', url: `/api/now/table/cmdb_ci_appl/${seed.unmanaged.Payroll}`, headers: json, body: b64({ short_description: 'patched in a batch' }) },
      { id: '4', method: 'DELETE', url: `/api/now/table/cmdb_rel_ci/${rel}`, headers: json },
    ]);
    expect(status).toBe(200);
    expect(body).toMatchObject({ batch_request_id: 'b-1', unserviced_requests: [] });
    expect(body.serviced_requests.map((s) => [s.id, s.status_code, s.status_text])).toEqual([
      ['1', 201, 'Created'],
      ['2', 200, 'OK'],
      ['3', 200, 'OK'],
      ['4', 204, 'No Content'],
    ]);
    const created = unb64(byId.get('1')?.body ?? '')?.result as { sys_id: string };
    expect(emu.get('cmdb_ci', created.sys_id)).toMatchObject({ name: 'batched', discovery_source: 'masync' });
    expect(byId.get('1')?.headers).toEqual(expect.arrayContaining([{ name: 'Location', value: expect.stringContaining(created.sys_id) }]));
    expect(unb64(byId.get('2')?.body ?? '')?.result).toEqual([{ sys_id: seed.users.alice, user_name: 'alice' }]);
    expect(byId.get('2')?.headers).toEqual([]);
    expect(emu.get('cmdb_ci', seed.unmanaged.Payroll)?.short_description).toBe('patched in a batch');
    expect(emu.list('cmdb_rel_ci').find((r) => r.sys_id === rel)).toBeUndefined();
    expect(emu.server.count('POST', '/api/now/v1/batch')).toBe(1);
    expect(emu.server.count('POST', AI)).toBe(1);
    expect(emu.server.requests.filter((r) => r.via === '/api/now/v1/batch').map((r) => r.method)).toEqual(['POST', 'GET', 'PATCH', 'DELETE']);
  });

  it('lets one sub-request fail inside a 200 batch, with table ACLs applied per sub-request', async () => {
    emu.server.faults.inject({ method: 'POST', path: AI, status: 500, afterHandling: true, body: { error: { message: 'Internal error', detail: null }, status: 'failure' } });
    emu.denyTable('cmn_cost_center');
    const { status, byId } = await batch(emu, [insert('a', 'first'), insert('b', 'second'), { id: 'c', method: 'GET', url: '/api/now/table/cmn_cost_center', headers: json }]);
    expect(status).toBe(200);
    expect(byId.get('a')?.status_code).toBe(500);
    expect(byId.get('b')?.status_code).toBe(201);
    expect(byId.get('c')).toMatchObject({ status_code: 403, status_text: 'Forbidden' });
    expect(unb64(byId.get('c')?.body ?? '')?.error?.message).toBe('User Not Authorized');
    // The 500 came after the insert: both CIs exist.
    expect(emu.query('cmdb_ci', 'correlation_idINc-first,c-second')).toHaveLength(2);
  });

  it('leaves the rest unserviced when a sub-request is cut off', async () => {
    emu.server.faults.inject({ method: 'POST', path: AI, destroy: true, afterHandling: true });
    const { status, body } = await batch(emu, [insert('a', 'cut'), insert('b', 'never')]);
    expect(status).toBe(200);
    expect(body.serviced_requests).toEqual([]);
    expect(body.unserviced_requests).toEqual(['a', 'b']);
    // "Unserviced" does not mean "not done": the first insert landed before the cut.
    expect(emu.query('cmdb_ci', 'correlation_id=c-cut')).toHaveLength(1);
    expect(emu.query('cmdb_ci', 'correlation_id=c-never')).toHaveLength(0);
  });

  it('fails as a whole when the call itself fails, and refuses as an instance does without the role or with the API off', async () => {
    emu.server.faults.inject({ method: 'POST', path: '/api/now/v1/batch', status: 503 });
    expect((await batch(emu, [insert('a', 'x')])).status).toBe(503);
    emu.setBatchApi('no-role');
    expect(await batch(emu, [insert('a', 'y')])).toMatchObject({ status: 403, body: { error: { message: 'User Not Authorized' } } });
    emu.setBatchApi('inactive');
    expect(await batch(emu, [insert('a', 'z')])).toMatchObject({ status: 400, body: { error: { message: 'Requested URI does not represent any resource' } } });
    emu.setBatchApi('on');
    expect((await batch(emu, [insert('a', 'w')], 'Basic bm9ib2R5Om5vcGU=')).status).toBe(401);
    expect(emu.query('cmdb_ci', 'correlation_idINc-x,c-y,c-z,c-w')).toEqual([]);
  });

  it('rejects a body without rest_requests', async () => {
    const res = await fetch(`${emu.url}/api/now/v1/batch`, { method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/json' }, body: JSON.stringify({ batch_request_id: 'x' }) });
    expect(res.status).toBe(400);
  });
});
