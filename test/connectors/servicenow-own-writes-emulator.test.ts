import { ServiceNowEmulator } from '../../connectors/sinks/servicenow/emulator';
import { SANDBOX_CREDENTIALS, seedSandboxInstance } from '../../connectors/sinks/servicenow/fixtures/sandbox';

const TABLE = '/api/now/table/cmdb_ci_appl';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const integration = basic(SANDBOX_CREDENTIALS.username, SANDBOX_CREDENTIALS.password);

async function send(emu: ServiceNowEmulator, auth: string, method: string, path: string, body?: unknown): Promise<Record<string, string>> {
  const res = await fetch(`${emu.url}${path}`, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { result: Record<string, string> }).result;
}

async function token(emu: ServiceNowEmulator, form: Record<string, string>): Promise<string> {
  const res = await fetch(`${emu.url}/oauth_token.do`, { method: 'POST', body: new URLSearchParams(form) });
  return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
}

/** The emulator stamps who wrote each record, as the instance does, and answers the queries that filter on it as the instance would. */
describe('ServiceNow emulator: who wrote a record', () => {
  const emu = new ServiceNowEmulator();
  seedSandboxInstance(emu);
  emu.addUser('alice.admin', 'alice-password');
  emu.addOAuthClient('etl-client', 'etl-secret', 'etl.app.user');
  beforeAll(() => emu.start());
  afterAll(() => emu.stop());

  it('stamps sys_created_by and sys_updated_by from the authenticated user, and returns them', async () => {
    const created = await send(emu, integration, 'POST', TABLE, { name: 'stamped', discovery_source: 'masync' });
    expect(created).toMatchObject({ sys_created_by: SANDBOX_CREDENTIALS.username, sys_updated_by: SANDBOX_CREDENTIALS.username });

    const patched = await send(emu, basic('alice.admin', 'alice-password'), 'PATCH', `${TABLE}/${created.sys_id}`, { short_description: 'edited' });
    expect(patched).toMatchObject({ sys_created_by: SANDBOX_CREDENTIALS.username, sys_updated_by: 'alice.admin' });

    // A password-grant token acts as its user; a client-credentials token as the client's application user.
    const password = await token(emu, { grant_type: 'password', client_id: SANDBOX_CREDENTIALS.clientId, client_secret: SANDBOX_CREDENTIALS.clientSecret, username: 'alice.admin', password: 'alice-password' });
    expect(await send(emu, password, 'PATCH', `${TABLE}/${created.sys_id}`, { short_description: 'again' })).toMatchObject({ sys_updated_by: 'alice.admin' });
    emu.setClientCredentialsGrant(true);
    const client = await token(emu, { grant_type: 'client_credentials', client_id: 'etl-client', client_secret: 'etl-secret' });
    expect(await send(emu, client, 'PATCH', `${TABLE}/${created.sys_id}`, { short_description: 'by etl' })).toMatchObject({ sys_updated_by: 'etl.app.user' });

    // Clients cannot set them; a person's edit in the UI is theirs.
    await send(emu, integration, 'PATCH', `${TABLE}/${created.sys_id}`, { sys_updated_by: 'someone.else' });
    expect(emu.get('cmdb_ci_appl', created.sys_id ?? '')?.sys_updated_by).toBe(SANDBOX_CREDENTIALS.username);
    emu.setField('cmdb_ci_appl', created.sys_id ?? '', 'short_description', 'in the UI', 'bob');
    expect(emu.get('cmdb_ci_appl', created.sys_id ?? '')).toMatchObject({ sys_created_by: SANDBOX_CREDENTIALS.username, sys_updated_by: 'bob' });
  });

  it('stamps each sub-request of a batch as the user who sent the batch', async () => {
    const res = await fetch(`${emu.url}/api/now/v1/batch`, {
      method: 'POST',
      headers: { Authorization: basic('alice.admin', 'alice-password'), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        batch_request_id: 'b1',
        rest_requests: [{ id: '1', method: 'POST', url: `${TABLE}?sysparm_fields=sys_id,sys_updated_by`, headers: [{ name: 'Content-Type', value: 'application/json' }], body: Buffer.from(JSON.stringify({ name: 'in-batch' })).toString('base64') }],
      }),
    });
    const served = ((await res.json()) as { serviced_requests: Array<{ body: string }> }).serviced_requests[0];
    expect(JSON.parse(Buffer.from(served?.body ?? '', 'base64').toString('utf8'))).toMatchObject({ result: { sys_updated_by: 'alice.admin' } });
  });
});

describe('ServiceNow emulator: != and ^NQ', () => {
  const emu = new ServiceNowEmulator();
  seedSandboxInstance(emu);
  const put = (name: string, user: string, short_description = '') => emu.insert('cmdb_ci_appl', { name, short_description, discovery_source: 'ntest' }, user);
  put('by-masync', 'masync.integration', 'x');
  put('by-alice', 'alice', 'y');
  put('by-bob', 'bob');
  put('by-nobody', '');
  const q = (query: string) => emu.query('cmdb_ci_appl', `discovery_source=ntest^${query}`).map((r) => r.name).sort();

  it('reads != as "holds another value": an empty field matches neither = nor !=', () => {
    expect(q('sys_updated_by!=masync.integration')).toEqual(['by-alice', 'by-bob']);
    expect(q('sys_updated_by!=masync.integration^ORsys_updated_byISEMPTY')).toEqual(['by-alice', 'by-bob', 'by-nobody']);
    expect(q('short_description!=x')).toEqual(['by-alice']);
  });

  it('reads ^NQ as a new query OR-ed with the first: each group carries its own conditions', () => {
    // The second group is not narrowed by the first one's discovery source: a person's CI matches it.
    expect(q('name=by-alice^NQname=SAP ERP')).toEqual(['SAP ERP', 'by-alice']);
    expect(emu.query('cmdb_ci_appl', 'discovery_source=ntest^name=by-alice^NQdiscovery_source=ntest^name=by-bob').map((r) => r.name).sort()).toEqual(['by-alice', 'by-bob']);
  });

  it('answers the incremental read’s conditions from indexes with the rows and order a scan gives', () => {
    const stamp = emu.query('cmdb_ci_appl', 'discovery_source=ntest^ORDERBYsys_updated_on')[0]?.sys_updated_on ?? '';
    const queries = [
      `discovery_source=ntest^sys_updated_on>=${stamp}^sys_updated_by!=masync.integration^ORsys_updated_byISEMPTY^NQdiscovery_source=ntest^sys_updated_on>${stamp}^ORDERBYsys_id`,
      `sys_updated_on>=${stamp}^sys_updated_by!=alice^ORDERBYname`,
      'sys_updated_byISEMPTY',
      'sys_updated_by!=^NQname=by-masync',
      `sys_updated_on>2000-01-01 00:00:00^nameINby-bob,by-alice`,
    ];
    for (const query of queries) {
      // A group with a condition no index answers (sys_id is never empty) makes the emulator scan, matching nothing more.
      const scanned = emu.query('cmdb_ci_appl', `${query}^NQsys_idISEMPTY`).map((r) => r.sys_id);
      expect({ query, rows: emu.query('cmdb_ci_appl', query).map((r) => r.sys_id) }).toEqual({ query, rows: scanned });
    }
    expect(emu.query('cmdb_ci_appl', queries[0] ?? '').map((r) => r.name).sort()).toEqual(['by-alice', 'by-bob', 'by-nobody']);
  });
});
