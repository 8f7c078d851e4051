import { JiraAssetsEmulator } from '../../connectors/sinks/jira-assets/emulator';
import { SANDBOX_ACCOUNT, seedSandboxSite } from '../../connectors/sinks/jira-assets/fixtures/sandbox';

/** A small schema built straight in the store: what the AQL and write tests run on. */
function world(deployment: 'cloud' | 'datacenter' = 'cloud', opts: { maxPageSize?: number } = {}) {
  const emu = new JiraAssetsEmulator({ deployment, ...opts });
  const seed = seedSandboxSite(emu);
  const s = emu.catalog.createSchema('Q', 'QQ');
  const model = emu.catalog.createType(s.id, 'Thing', '1');
  const part = emu.catalog.createType(s.id, 'Part', '1');
  const attr = (typeId: string, spec: Parameters<typeof emu.catalog.createAttr>[1]) => emu.catalog.createAttr(typeId, spec);
  attr(model.id, { name: 'Managed by', type: 0, defaultTypeId: 0 });
  attr(model.id, { name: 'Size', type: 0, defaultTypeId: 1 });
  attr(model.id, { name: 'Status', type: 0, defaultTypeId: 10, options: ['Active', 'Retired'] });
  attr(model.id, { name: 'Code', type: 0, defaultTypeId: 0, unique: true });
  attr(model.id, { name: 'Parts', type: 1, referenceObjectTypeId: part.id, referenceTypeId: '1', max: 2 });
  attr(model.id, { name: 'Owner', type: 2 });
  const p = (name: string) => emu.createObject('Part', { Name: name }, 'Q');
  const [bolt, nut] = [p('bolt'), p('nut')];
  const t = (values: Record<string, string | string[]>) => emu.createObject('Thing', values, 'Q');
  const things = {
    a: t({ Name: 'alpha', 'Managed by': 'masync', Size: '3', Status: 'Active', Parts: [bolt.key] }),
    b: t({ Name: 'Beta', 'Managed by': 'MASYNC', Size: '12', Status: 'Retired', Parts: [bolt.key, nut.key], Owner: seed.users.alice }),
    c: t({ Name: 'quote " inside', Size: '7' }),
    d: t({ Name: 'back\\slash' }),
  };
  const names = (q: string) => emu.query(q).map((o) => emu.valuesOf(o.id).Name?.[0]);
  return { emu, seed, things, names, bolt, nut };
}

describe('Jira Assets emulator: AQL', () => {
  it('reads keywords and operators in any case, = without case and == with it', () => {
    const { names } = world();
    expect(names('objectType = Thing AND "Managed by" = masync')).toEqual(['alpha', 'Beta']);
    expect(names('OBJECTTYPE = "thing" and "managed by" == "masync"')).toEqual(['alpha']);
    expect(names('objectSchema = Q AND Name != alpha AND objectType = Thing')).toEqual(['Beta', 'quote " inside', 'back\\slash']);
    expect(names('objectType = Thing AND (Size > 5 OR Status = Retired)')).toEqual(['Beta', 'quote " inside']);
    expect(names('objectType = Thing AND Size >= 3 AND Size < 12')).toEqual(['alpha', 'quote " inside']);
  });

  it('unescapes \\" and \\\\ inside quotes, and an unescaped quote ends the value', () => {
    const { emu, names } = world();
    expect(names('Name = "quote \\" inside"')).toEqual(['quote " inside']);
    expect(names('Name = "back\\\\slash"')).toEqual(['back\\slash']);
    expect(names('objectType = Thing AND Name = "x" OR Name != ""').length).toBeGreaterThan(4);
    expect(() => emu.query('Name = "never closed')).toThrow(/not closed/);
  });

  it('walks references by dot notation and answers the list, empty, like and ordering forms', () => {
    const { names } = world();
    expect(names('objectType = Thing AND Parts.Name = nut')).toEqual(['Beta']);
    expect(names('objectType = Thing AND "Parts"."Name" IN (bolt, washer)')).toEqual(['alpha', 'Beta']);
    expect(names('objectType = Thing AND Name NOT IN (alpha, Beta)')).toEqual(['quote " inside', 'back\\slash']);
    expect(names('objectType = Thing AND Parts IS EMPTY')).toEqual(['quote " inside', 'back\\slash']);
    expect(names('objectType = Thing AND Owner IS NOT EMPTY')).toEqual(['Beta']);
    expect(names('objectType = Thing AND Owner = "Alice Example"')).toEqual(['Beta']);
    expect(names('objectType = Thing AND Name LIKE ph')).toEqual(['alpha']);
    expect(names('objectType = Thing AND Name startswith BE')).toEqual(['Beta']);
    expect(names('objectType = Thing ORDER BY Size DESC')).toEqual(['Beta', 'quote " inside', 'alpha', 'back\\slash']);
  });

  it('compares Updated with now() offsets on its own clock', () => {
    let now = Date.parse('2026-11-23T10:00:00Z');
    const emu = new JiraAssetsEmulator({ now: () => now });
    const s = emu.catalog.createSchema('T', 'TT');
    emu.catalog.createType(s.id, 'Thing', '1');
    emu.createObject('Thing', { Name: 'early' });
    now += 3 * 3_600_000;
    emu.createObject('Thing', { Name: 'late' });
    const names = (q: string) => emu.query(q).map((o) => emu.valuesOf(o.id).Name?.[0]);
    expect(names('objectType = Thing AND Updated >= now(-2h)')).toEqual(['late']);
    expect(names('objectType = Thing AND Updated > "2026-11-23 09:59"')).toEqual(['early', 'late']);
    expect(names('objectType = Thing AND Created < now(-1h 30m)')).toEqual(['early']);
  });

  it('refuses an attribute no type has, and a function it does not know', () => {
    const { emu } = world();
    expect(() => emu.query('"No such" = x')).toThrow(/no attribute "No such"/);
    expect(() => emu.query('Updated > yesterday()')).toThrow(/yesterday\(\) is not supported/);
    expect(() => emu.query('Name = a AND')).toThrow(/expected an attribute name/);
  });

  it('answers a type-and-owner query at 20,000 objects from its indexes', () => {
    const emu = new JiraAssetsEmulator();
    const s = emu.catalog.createSchema('Big', 'BIG');
    const type = emu.catalog.createType(s.id, 'Thing', '1');
    const other = emu.catalog.createType(s.id, 'Other', '1');
    const owner = emu.catalog.createAttr(type.id, { name: 'Managed by', type: 0, defaultTypeId: 0 });
    const name = emu.catalog.attrNamed(type.id, 'Name')?.id as string;
    const otherName = emu.catalog.attrNamed(other.id, 'Name')?.id as string;
    for (let i = 0; i < 20_000; i++) {
      if (i % 4 === 0) emu.objects.create(other.id, [{ objectTypeAttributeId: otherName, values: [`o${i}`] }]);
      else emu.objects.create(type.id, [{ objectTypeAttributeId: name, values: [`t${i}`] }, { objectTypeAttributeId: owner.id, values: [i % 2 ? 'masync' : 'someone'] }]);
    }
    const hits = emu.query(`objectTypeId = ${type.id} AND "Managed by" = "masync"`);
    expect(hits).toHaveLength(10_000);
    expect(hits.every((o) => o.typeId === type.id && emu.valuesOf(o.id)['Managed by']?.[0] === 'masync')).toBe(true);
  });
});

describe('Jira Assets emulator over HTTP', () => {
  const send = async (emu: JiraAssetsEmulator, method: string, path: string, body?: unknown) => {
    const auth = emu.cloud ? `Basic ${Buffer.from(`${SANDBOX_ACCOUNT.email}:${SANDBOX_ACCOUNT.apiToken}`).toString('base64')}` : `Bearer ${SANDBOX_ACCOUNT.pat}`;
    const base = emu.cloud ? `/jsm/assets/workspace/${emu.workspaceId}/v1/` : '/rest/assets/1.0/';
    const res = await fetch(`${emu.url}${base}${path}`, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
  };
  let running: JiraAssetsEmulator | undefined;
  afterEach(() => running?.stop());

  it('pages Cloud AQL by startAt with isLast, capping the page size', async () => {
    const w = world('cloud', { maxPageSize: 3 });
    running = w.emu;
    await w.emu.start();
    const pages: number[] = [];
    for (let startAt = 0; ; ) {
      const { body } = await send(w.emu, 'POST', `object/aql?startAt=${startAt}&maxResults=100`, { qlQuery: 'objectSchema = Q' });
      const values = body.values as unknown[];
      pages.push(values.length);
      if (body.isLast) break;
      startAt += values.length;
    }
    expect(pages).toEqual([3, 3]);
  });

  it('pages Data Center AQL by page number, ids as numbers', async () => {
    const w = world('datacenter', { maxPageSize: 4 });
    running = w.emu;
    await w.emu.start();
    const { body } = await send(w.emu, 'GET', `aql/objects?qlQuery=${encodeURIComponent('objectSchema = Q')}&page=2&resultPerPage=4&includeAttributes=true`);
    expect(body).toMatchObject({ pageNumber: 2, pageSize: 2, totalFilterCount: 6 });
    expect((body.objectEntries as Array<{ id: unknown }>).map((o) => typeof o.id)).toEqual(['number', 'number']);
  });

  it('refuses bad writes with {errorMessages, errors} naming the attribute', async () => {
    const w = world();
    running = w.emu;
    await w.emu.start();
    const typeId = w.emu.typeId('Thing', 'Q');
    const id = (name: string) => w.emu.catalog.attrNamed(typeId, name)?.id as string;
    const create = (attributes: Array<[string, string[]]>) =>
      send(w.emu, 'POST', 'object/create', { objectTypeId: typeId, attributes: [['Name', ['n']], ...attributes].map(([a, v]) => ({ objectTypeAttributeId: a === 'Name' ? id('Name') : a, objectAttributeValues: (v as string[]).map((value) => ({ value })) })) });
    const cases: Array<[Array<[string, string[]]>, RegExp]> = [
      [[['99999', ['x']]], /No attribute with id 99999/],
      [[[id('Size'), ['big']]], /Size: big is not an integer/],
      [[[id('Status'), ['Gone']]], /Gone is not one of the options Active, Retired/],
      [[[id('Parts'), [w.bolt.key, w.nut.key, w.bolt.key]]], /Parts: at most 2 value/],
      [[[id('Parts'), ['NOPE-1']]], /no object NOPE-1/],
      [[[id('Code'), ['c1']]], /./],
      [[[id('Code'), ['C1']]], /Code: the value C1 must be unique/],
      [[[id('Key'), ['Q-99']]], /Key is set by Assets/],
    ];
    const answers = [];
    for (const [attrs] of cases) answers.push(await create(attrs));
    answers.forEach((a, i) => {
      const [, pattern] = cases[i] as [unknown, RegExp];
      if (i === 5) return expect(a.status).toBe(201);
      expect(a.status).toBe(400);
      expect(a.body).toEqual({ errorMessages: [], errors: expect.any(Object) });
      expect(Object.values(a.body.errors as Record<string, string>).join(' ')).toMatch(pattern);
    });
  });

  it('answers 401 without valid credentials and 403 when the role is too small', async () => {
    const w = world();
    running = w.emu;
    await w.emu.start();
    const res = await fetch(`${w.emu.url}/jsm/assets/workspace/${w.emu.workspaceId}/v1/objectschema/list`, { headers: { Authorization: 'Basic eDp5' } });
    expect(res.status).toBe(401);
    w.emu.addUser({ name: 'r', email: 'r@example.com', role: 'user', secret: 'read-only-1' });
    const asReader = await fetch(`${w.emu.url}/jsm/assets/workspace/${w.emu.workspaceId}/v1/objectschema/create`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('r@example.com:read-only-1').toString('base64')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'X', objectSchemaKey: 'XX' }),
    });
    expect(asReader.status).toBe(403);
  });
});
