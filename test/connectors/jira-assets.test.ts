import { aqlString, managedQuery } from '../../connectors/sinks/jira-assets/aql';
import { identityOf } from '../../connectors/sinks/jira-assets/identity';
import { memoryCache, type SinkWrite } from '../../src/engine/types';
import { ConnectorError, OutcomeUnknownError } from '../../src/errors';
import { collect } from '../support/deps';
import { failure } from './mlflow-helpers';
import { createWrite, deploymentItem, DEPLOYMENTS, desired, modelItem, sentQueries, startJira, stopJira, versionItem, type JiraFixture } from './jira-setup';

afterEach(stopJira);

describe('AQL text', () => {
  it('quotes every value and escapes backslashes and quotes inside it', () => {
    expect(aqlString('plain')).toBe('"plain"');
    expect(aqlString('x" OR Name != "')).toBe('"x\\" OR Name != \\""');
    expect(aqlString('back\\" OR Name != "')).toBe('"back\\\\\\" OR Name != \\""');
  });

  it('reads managed objects by type id and ownership, never by a name', () => {
    expect(managedQuery('23', { attribute: 'Managed by', value: 'masync' })).toBe('objectTypeId = 23 AND "Managed by" = "masync"');
    expect(managedQuery('23', { attribute: 'Managed by', value: 'm' }, { minutesAgo: 90.2 })).toBe('objectTypeId = 23 AND "Managed by" = "m" AND Updated >= now(-91m)');
    expect(() => managedQuery('23 OR 1', { attribute: 'Managed by', value: 'm' })).toThrow(/not an Assets id/);
  });

  it('keeps keys that fit an Assets text attribute, and hashes longer ones', () => {
    expect(identityOf('wandb://team/models/x" OR Name != "')).toBe('wandb://team/models/x" OR Name != "');
    expect(identityOf(`mlflow://h/models/${'m'.repeat(300)}`)).toMatch(/^sha256:[0-9a-f]{40}$/);
  });
});

for (const deployment of DEPLOYMENTS) {
  describe(`Jira Assets sink (${deployment}) over HTTP`, () => {
    const create = async (fx: JiraFixture, item = modelItem('fraud-detector', { description: 'first' })) => {
      const write = createWrite(fx.sink, fx.mapping, item);
      return { write, id: (await fx.sink.apply(write, fx.ctx())).id };
    };
    const writesOf = (fx: JiraFixture, method: string) => fx.emu.server.requests.filter((r) => r.method === method && r.path.startsWith(`${fx.base}object`) && !r.path.endsWith('/aql'));

    it('finds schema, types and attributes by name: the emulator gives new ids every run', async () => {
      const [a, b] = [await startJira({ deployment }), await startJira({ deployment })];
      expect(a.emu.typeId('ML Model')).not.toBe(b.emu.typeId('ML Model'));
      for (const fx of [a, b]) {
        const { id } = await create(fx);
        const post = writesOf(fx, 'POST')[0]?.body as { objectTypeId: string; attributes: Array<{ objectTypeAttributeId: string }> };
        expect(String(post.objectTypeId)).toBe(fx.emu.typeId('ML Model'));
        const attrIds = new Set(fx.emu.catalog.attrsOf(fx.emu.typeId('ML Model')).map((x) => x.id));
        expect(post.attributes.every((x) => attrIds.has(String(x.objectTypeAttributeId)))).toBe(true);
        expect(fx.emu.valuesOf(id)).toMatchObject({ Name: ['fraud-detector'], 'Managed by': ['masync'], 'External key': ['mlflow://h/models/fraud-detector'], 'Lifecycle status': ['Active'] });
      }
    });

    it('a model named like an AQL injection touches only its own object, and its queries are escaped', async () => {
      const fx = await startJira({ deployment });
      const others = () => [...fx.emu.objects.objects.values()].filter((o) => !mine.includes(o.id)).map((o) => JSON.stringify([o.id, fx.emu.valuesOf(o.id), o.updated]));
      const mine: string[] = [];
      const before = others();
      const unescaped = (v: string) => `"${v}"`;
      const quotesOnly = (v: string) => `"${v.replace(/"/g, '\\"')}"`;
      for (const { name, careless } of [
        { name: 'x" OR Name != "', careless: unescaped },
        { name: 'back\\" OR Name != "', careless: quotesOnly },
      ]) {
        const item = modelItem(name, { key: `wandb://team/models/${name}`, description: 'named like a query' });
        const write = createWrite(fx.sink, fx.mapping, item);
        expect(await fx.sink.lookup(write, fx.ctx())).toBeUndefined();
        const { id } = await fx.sink.apply(write, fx.ctx());
        mine.push(id);
        await fx.sink.apply({ op: 'update', class: write.class, key: write.key, id, fields: { Description: 'changed' } }, fx.ctx());
        expect(await fx.sink.lookup(write, fx.ctx())).toBe(id);
        await fx.sink.apply({ op: 'retire', class: write.class, key: write.key, id, fields: fx.sink.retiredFields() }, fx.ctx());
        expect(fx.emu.valuesOf(id)).toMatchObject({ Name: [name], 'External key': [item.key], 'Lifecycle status': ['Retired'] });

        const lookups = sentQueries(fx.emu).filter((q) => q.includes('"External key"'));
        const sent = lookups[lookups.length - 1] as string;
        expect(sent).toContain(`"External key" = ${aqlString(item.key)}`);
        // Evaluated as Assets would, the query names the one object; escaped less carefully, it names others or breaks.
        expect(fx.emu.query(sent).map((o) => o.id)).toEqual([id]);
        const outcome = attempt(() => fx.emu.query(sent.replace(aqlString(item.key), careless(item.key))).map((o) => o.id));
        expect(outcome).not.toEqual([id]);
        if (careless === unescaped) expect((outcome as string[]).length).toBeGreaterThan(5);
      }
      expect(others()).toEqual(before);
      expect(fx.emu.server.count('DELETE')).toBe(0);
    });

    it('PUTs only the attributes an update changes and leaves what a person set', async () => {
      const fx = await startJira({ deployment });
      const { write, id } = await create(fx);
      fx.emu.edit(id, { 'Cost center': 'set by a person' });
      await fx.sink.apply({ op: 'update', class: write.class, key: write.key, id, fields: { Description: 'second' } }, fx.ctx());
      const puts = writesOf(fx, 'PUT');
      expect(puts).toHaveLength(1);
      const body = puts[0]?.body as { attributes: Array<{ objectTypeAttributeId: string; objectAttributeValues: unknown[] }> };
      const description = fx.emu.catalog.attrNamed(fx.emu.typeId('ML Model'), 'Description')?.id;
      expect(body.attributes).toEqual([{ objectTypeAttributeId: description, objectAttributeValues: [{ value: 'second' }] }]);
      expect(fx.emu.valuesOf(id)).toMatchObject({ Description: ['second'], 'Cost center': ['set by a person'], Name: ['fraud-detector'] });
    });

    it('retires by the lifecycle attribute and never sends a DELETE', async () => {
      const fx = await startJira({ deployment });
      const { write, id } = await create(fx);
      await fx.sink.apply({ op: 'retire', class: write.class, key: write.key, id, fields: fx.sink.retiredFields() }, fx.ctx());
      expect(fx.emu.valuesOf(id)['Lifecycle status']).toEqual(['Retired']);
      const [rec] = await collect(fx.sink.readManaged(fx.ctx()));
      expect(rec).toMatchObject({ id, fields: { 'Lifecycle status': 'Retired' } });
      expect(fx.emu.server.count('DELETE')).toBe(0);
    });

    it('a create answered by a dropped connection throws OutcomeUnknownError, is sent once, and lookup finds it', async () => {
      const fx = await startJira({ deployment });
      const write = createWrite(fx.sink, fx.mapping, modelItem('lost-answer'));
      fx.emu.server.faults.inject({ method: 'POST', path: `${fx.base}object/create`, destroy: true, afterHandling: true });
      const err = await failure(fx.sink.apply(write, fx.ctx()));
      expect(err).toBeInstanceOf(OutcomeUnknownError);
      expect(err.message).toMatch(/object\/create.*outcome unknown/);
      expect(writesOf(fx, 'POST')).toHaveLength(1);
      const id = await fx.sink.lookup(write, fx.ctx());
      expect(fx.emu.objectsOf('ML Model').map((o) => o.id)).toEqual([id]);
    });

    it('relates and unrelates by editing the holder, keeping references a person set', async () => {
      const fx = await startJira({ deployment });
      const ctx = fx.ctx();
      const model = await create(fx, modelItem('m'));
      const v = [1, 2, 3].map((n) => createWrite(fx.sink, fx.mapping, versionItem(modelItem('m'), String(n))));
      const vid: string[] = [];
      for (const w of v) vid.push((await fx.sink.apply(w, ctx)).id);
      const dep = await create(fx, deploymentItem('endpoint-a'));
      const byHand = fx.emu.createObject('ML Model Version', { Name: 'hand-made version', 'Lifecycle status': 'Active' });
      fx.emu.edit(dep.id, { Serves: [byHand.key] });

      // Two relates on one holder at once must not undo each other.
      const relations = await Promise.all(vid.slice(0, 2).map((childId) => fx.sink.apply({ op: 'relate', type: 'Serves', parentId: dep.id, childId, holder: 'parent' }, ctx)));
      await fx.sink.apply({ op: 'relate', type: 'Model', parentId: model.id, childId: vid[0] as string, holder: 'child' }, ctx);
      const keyOf = (id: string) => fx.emu.objects.get(id).key;
      expect(new Set(fx.emu.valuesOf(dep.id).Serves)).toEqual(new Set([byHand.key, keyOf(vid[0] as string), keyOf(vid[1] as string)]));
      expect(fx.emu.valuesOf(vid[0] as string).Model).toEqual([keyOf(model.id)]);

      const read = await collect(fx.sink.readRelations(fx.ctx()));
      expect(read).toEqual(
        expect.arrayContaining([
          { id: relations[0]?.id, type: 'Serves', parentId: dep.id, childId: vid[0] },
          { id: relations[1]?.id, type: 'Serves', parentId: dep.id, childId: vid[1] },
          expect.objectContaining({ type: 'Model', parentId: model.id, childId: vid[0] }),
          expect.objectContaining({ type: 'Serves', parentId: dep.id, childId: byHand.id }),
        ]),
      );

      await fx.sink.apply({ op: 'unrelate', id: relations[0]?.id as string }, ctx);
      expect(new Set(fx.emu.valuesOf(dep.id).Serves)).toEqual(new Set([byHand.key, keyOf(vid[1] as string)]));
      expect(fx.emu.server.count('DELETE')).toBe(0);
    });

    it('a single-valued reference held by a person is refused, one held by masync is replaced', async () => {
      const fx = await startJira({ deployment });
      const ctx = fx.ctx();
      const [a, b] = [await create(fx, modelItem('a')), await create(fx, modelItem('b'))];
      const version = await create(fx, versionItem(modelItem('a'), '1'));
      const byHand = fx.emu.createObject('ML Model', { Name: 'a model by hand', 'Lifecycle status': 'Active' });
      fx.emu.edit(version.id, { Model: byHand.key });
      const err = await failure(fx.sink.apply({ op: 'relate', type: 'Model', parentId: a.id, childId: version.id, holder: 'child' }, ctx));
      expect(err.message).toMatch(new RegExp(`"Model" on \\S+ holds at most 1 value.*${byHand.key}.*does not remove a person's value`));
      expect(fx.emu.valuesOf(version.id).Model).toEqual([byHand.key]);

      fx.emu.edit(version.id, { Model: fx.emu.objects.get(b.id).key });
      await collect(fx.sink.readManaged(ctx)); // what masync owns is known from its read
      await fx.sink.apply({ op: 'relate', type: 'Model', parentId: a.id, childId: version.id, holder: 'child' }, ctx);
      expect(fx.emu.valuesOf(version.id).Model).toEqual([fx.emu.objects.get(a.id).key]);
    });

    it('reads only what changed since an instant, by the server clock', async () => {
      let now = Date.parse('2026-11-23T10:00:00Z');
      const fx = await startJira({ deployment, emulator: { now: () => now }, clock: { now: () => new Date(now) } });
      const old = await create(fx, modelItem('old'));
      now += 2 * 3_600_000;
      const fresh = await create(fx, modelItem('fresh'));
      now += 60_000;
      const since = new Date(now - 3_600_000).toISOString();
      const records = await collect(fx.sink.readManaged(fx.ctx(), { changedSince: since }));
      expect(records.map((r) => r.id)).toEqual([fresh.id]);
      expect(sentQueries(fx.emu).some((q) => /Updated >= now\(-60m\)$/.test(q))).toBe(true);
      expect((await collect(fx.sink.readManaged(fx.ctx()))).map((r) => r.id).sort()).toEqual([old.id, fresh.id].sort());
    });

    it('stops the read when an object it manages has lost its External key, rather than create it again', async () => {
      const fx = await startJira({ deployment });
      const { id } = await create(fx);
      await create(fx, modelItem('other'));
      fx.emu.edit(id, { 'External key': [] });
      const err = await failure(collect(fx.sink.readManaged(fx.ctx())));
      expect(err.message).toMatch(new RegExp(`1 object\\(s\\) marked "Managed by: masync" have no "External key" \\(${fx.emu.objects.get(id).key}\\); masync stops rather than create duplicates`));
    });

    it('keeps the workspace between runs, asks again on a full read, and reads the catalog every run', async () => {
      const fx = await startJira({ deployment });
      const cache = memoryCache();
      const run = (full: boolean) => collect(fx.sink.readManaged({ ...fx.ctx(), cache, full }));
      await run(false);
      await run(false);
      await run(true);
      const count = (suffix: string) => fx.emu.server.requests.filter((r) => r.path.endsWith(suffix)).length;
      expect(count('/assets/workspace')).toBe(deployment === 'cloud' ? 2 : 0);
      expect(count('objectschema/list')).toBe(3);
    });

    it('reads numbers as the mapping writes them, though Assets answers a double 12 as "12.0"', async () => {
      const fx = await startJira({ deployment });
      const { id } = await create(fx, deploymentItem('priced', { instanceCount: 2, cost: { monthly: 12, currency: 'USD', estimated: true, basis: 'price table' } }));
      expect(fx.emu.valuesOf(id)['Monthly cost']).toEqual(['12.0']);
      const [rec] = await collect(fx.sink.readManaged(fx.ctx()));
      expect(rec?.fields).toMatchObject({ 'Monthly cost': '12', 'Instance count': '2', 'Cost estimated': 'true', 'Cost currency': 'USD' });
    });

    it('waits out a 429, with or without Retry-After, and a 503', async () => {
      const fx = await startJira({ deployment });
      await create(fx);
      const read = `${fx.base}${deployment === 'cloud' ? 'object/aql' : 'aql/objects'}`;
      const method = deployment === 'cloud' ? 'POST' : 'GET';
      const limited = { errorMessages: ['Rate limit exceeded'], errors: {} };
      fx.emu.server.faults.inject({ method, path: read, status: 429, headers: { 'Retry-After': '1' }, body: limited });
      fx.emu.server.faults.inject({ method, path: read, status: 429, body: limited });
      fx.emu.server.faults.inject({ method, path: read, status: 503, body: { errorMessages: ['Service unavailable'], errors: {} } });
      const mark = fx.emu.server.requests.length;
      const records = await collect(fx.sink.readManaged(fx.ctx()));
      expect(records.map((r) => r.fields.Name)).toEqual(['fraud-detector']);
      expect(fx.emu.server.requests.slice(mark).filter((r) => r.path === read).map((r) => r.status).slice(0, 4)).toEqual([429, 429, 503, 200]);
      expect(fx.deps.logger.lines.some((l) => /→ 429, retrying in 1000 ms/.test(l))).toBe(true);
    });

    it('says what Assets refused, from its {errorMessages, errors}', async () => {
      const fx = await startJira({ deployment });
      const { write, id } = await create(fx, deploymentItem('counted'));
      const bad: SinkWrite = { op: 'update', class: write.class, key: write.key, id, fields: { 'Instance count': 'two' } };
      const err = await failure(fx.sink.apply(bad, fx.ctx()));
      expect(err).toBeInstanceOf(ConnectorError);
      expect(err.message).toMatch(/HTTP 400: \d+: Instance count: two is not an integer/);
      expect(err.message).toContain('assets-test');
    });

    it('leaves an attribute the type lacks unwritten with one warning, and names --apply-schema when a type is missing', async () => {
      const fx = await startJira({ deployment });
      fx.emu.removeAttribute('ML Model', 'Aliases');
      const items = [modelItem('one', { aliases: { champion: '1' } }), modelItem('two', { aliases: { champion: '2' } })];
      const ctx = fx.ctx();
      const resolved = await fx.sink.resolve?.(items.map((i) => desired(fx.sink, fx.mapping, i)), ctx);
      expect(resolved?.every((r) => !('Aliases' in r.fields))).toBe(true);
      expect(fx.deps.logger.lines.filter((l) => l.startsWith('warn') && l.includes('"Aliases"'))).toHaveLength(1);

      const bare = await startJira({ deployment, bootstrapped: false });
      const err = await failure(collect(bare.sink.readManaged(bare.ctx())));
      expect(err.message).toMatch(/object schema "ML Inventory" does not exist.*masync init --sink assets-test --apply-schema/);
    });
  });
}

/** What a function returns, or "error" when it throws (a query Assets would refuse). */
function attempt<T>(run: () => T): T | 'error' {
  try {
    return run();
  } catch {
    return 'error';
  }
}
