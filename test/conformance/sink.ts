import { AuthError, MalformedResponseError, OutcomeUnknownError } from '../../src/errors';
import type { CreateWrite, RelationHolder, Sink, SinkWrite } from '../../src/engine/types';
import type { EmulatorServer } from '../../connectors/emulator-kit';
import { collect, testCtx, type TestDeps } from '../support/deps';

/** What a sink connector supplies to be checked like every other sink. */
export interface SinkHarness {
  setup(opts: { credentials: 'valid' | 'invalid' }): Promise<SinkFixture>;
}

/** A relation the sink's mapping draws, and records to draw it between. */
export interface RelationCase {
  /** As the mapping names it: a relationship type (rows), or the holder's reference attribute (references). */
  type: string;
  /** Which end declares it and, where relations are references, holds it. */
  holder: RelationHolder;
  /** Creates of `n` new, distinct records for each end. */
  parents(n: number): CreateWrite[];
  children(n: number): CreateWrite[];
  /** One holder may hold several relations of this type (relation rows, a multi-valued reference). */
  several: boolean;
}

export interface SinkFixture {
  sink: Sink;
  emulator: EmulatorServer;
  deps: TestDeps;
  secret: string;
  /** `n` creates of distinct records, fields as the mapping would produce them (ownership fields included). */
  makeCreates(n: number): CreateWrite[];
  /** A field and a new value an update may set on a created record. */
  updatableField: { field: string; value: string };
  /** Page size the sink reads with, so the test can create more than two pages. */
  pageSize: number;
  /** Path prefix of the paginated read of managed records. */
  readPath: string;
  /** Method of that read; GET when absent. */
  readMethod?: string;
  /** Where a create is sent; absent: `readPath` (a REST collection that answers GET takes POST). */
  createPath?: string | RegExp;
  /**
   * Relations to check, with either end as holder. Absent: for a sink storing relations as rows,
   * any two records with the CMDB's "Contains::Contained by" and "Depends on::Used by"; a sink
   * storing them as references must give its own, since only its mapped types hold them.
   */
  relations?: RelationCase[];
  /** Make the next read response malformed; returns the field the error must name. */
  breakNextReadResponse(): { field: string };
  teardown(): Promise<void>;
}

export function describeSinkConformance(name: string, harness: SinkHarness): void {
  describe(`sink conformance: ${name}`, () => {
    let fx: SinkFixture | undefined;
    /** Relations the test removed: the only records a DELETE may ever name, and only where relations are rows. */
    let unrelated: string[] = [];
    afterEach(async () => {
      if (fx) {
        const deletes = fx.emulator.requests.filter((r) => r.method === 'DELETE');
        const allowed = fx.sink.relationStorage === 'rows' ? unrelated : [];
        expect(deletes.map((r) => r.path).filter((p) => !allowed.some((id) => p.endsWith(`/${id}`)))).toEqual([]); // no sink ever deletes a record
      }
      await fx?.teardown();
      fx = undefined;
      unrelated = [];
    });

    async function createAll(f: SinkFixture, writes: CreateWrite[]) {
      const ctx = testCtx(f.deps);
      const ids = new Map<string, string>();
      for (const w of writes) ids.set(w.key, (await f.sink.apply(w, ctx)).id);
      return ids;
    }

    it('check() passes against a healthy server', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const results = await fx.sink.check(testCtx(fx.deps));
      expect(results.filter((r) => !r.ok)).toEqual([]);
    });

    it('reads back every managed record across several pages', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const n = fx.pageSize * 2 + 1;
      const writes = fx.makeCreates(n);
      const ids = await createAll(fx, writes);
      const method = fx.readMethod ?? 'GET';
      const before = fx.emulator.count(method, fx.readPath);
      const records = await collect(fx.sink.readManaged(testCtx(fx.deps)));
      expect(fx.emulator.count(method, fx.readPath) - before).toBeGreaterThan(1);
      expect(records).toHaveLength(n);
      for (const w of writes) {
        const rec = records.find((r) => r.id === ids.get(w.key));
        expect(rec).toBeDefined();
        expect(rec?.identity).toBe(fx.sink.identity.of(w.key));
        for (const [field, value] of Object.entries(w.fields)) expect(rec?.fields[field]).toBe(value);
      }
    });

    it('applying the same update or retire twice leaves one record in the same state', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const ctx = testCtx(fx.deps);
      const [w] = fx.makeCreates(1) as [CreateWrite];
      const id = (await createAll(fx, [w])).get(w.key) as string;
      const update: SinkWrite = { op: 'update', class: w.class, key: w.key, id, fields: { [fx.updatableField.field]: fx.updatableField.value } };
      await fx.sink.apply(update, ctx);
      await fx.sink.apply(update, ctx);
      const retire: SinkWrite = { op: 'retire', class: w.class, key: w.key, id, fields: fx.sink.retiredFields() };
      await fx.sink.apply(retire, ctx);
      await fx.sink.apply(retire, ctx);
      const records = await collect(fx.sink.readManaged(ctx));
      expect(records).toHaveLength(1);
      const rec = records[0];
      expect(rec?.fields[fx.updatableField.field]).toBe(fx.updatableField.value);
      for (const [field, value] of Object.entries(fx.sink.retiredFields())) expect(rec?.fields[field]).toBe(value);
    });

    it('relates records with either end as holder and reads each relation back with its ends in place', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const ctx = testCtx(fx.deps);
      const cases = relationCases(fx);
      expect(new Set(cases.map((c) => c.holder))).toEqual(new Set(['parent', 'child']));
      const drawn = [];
      for (const c of cases) {
        const [parent, child] = [c.parents(1)[0] as CreateWrite, c.children(1)[0] as CreateWrite];
        const ids = await createAll(fx, [parent, child]);
        const [parentId, childId] = [ids.get(parent.key) as string, ids.get(child.key) as string];
        const rel = await fx.sink.apply({ op: 'relate', type: c.type, parentId, childId, holder: c.holder }, ctx);
        drawn.push({ id: rel.id, type: c.type, parentId, childId });
      }
      const relations = await collect(fx.sink.readRelations(testCtx(fx.deps)));
      expect(relations.map((r) => ({ id: r.id, type: r.type, parentId: r.parentId, childId: r.childId }))).toEqual(expect.arrayContaining(drawn));
      expect(relations).toHaveLength(drawn.length);
    });

    it('unrelate removes exactly that relation and leaves the holder its others', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const ctx = testCtx(fx.deps);
      const c = relationCases(fx).find((x) => x.several);
      if (!c) throw new Error(`${name}: the harness must give a relation case whose holder may hold several relations`);
      const holderIsParent = c.holder === 'parent';
      const holder = (holderIsParent ? c.parents(1) : c.children(1))[0] as CreateWrite;
      const others = holderIsParent ? c.children(2) : c.parents(2);
      const ids = await createAll(fx, [holder, ...others]);
      const holderId = ids.get(holder.key) as string;
      const rels = [];
      for (const o of others) {
        const otherId = ids.get(o.key) as string;
        const [parentId, childId] = holderIsParent ? [holderId, otherId] : [otherId, holderId];
        rels.push({ ...(await fx.sink.apply({ op: 'relate', type: c.type, parentId, childId, holder: c.holder }, ctx)), parentId, childId });
      }
      const [gone, kept] = rels as [(typeof rels)[number], (typeof rels)[number]];
      unrelated.push(gone.id);
      await fx.sink.apply({ op: 'unrelate', id: gone.id }, ctx);
      await fx.sink.apply({ op: 'unrelate', id: gone.id }, ctx); // already gone: done, not an error
      const after = await collect(fx.sink.readRelations(testCtx(fx.deps)));
      expect(after.map((r) => r.id)).not.toContain(gone.id);
      expect(after).toEqual([expect.objectContaining({ id: kept.id, type: c.type, parentId: kept.parentId, childId: kept.childId })]);
    });

    it('a create whose answer is lost is settled by lookup, and exists exactly once', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const ctx = testCtx(fx.deps);
      const [w] = fx.makeCreates(1) as [CreateWrite];
      fx.emulator.faults.inject({ method: 'POST', path: fx.createPath ?? fx.readPath, destroy: true, afterHandling: true });
      const outcome = await fx.sink.apply(w, ctx).then(
        (r) => r,
        (e: unknown) => e,
      );
      expect(fx.emulator.requests.filter((r) => r.method === 'POST' && r.status === 0)).toHaveLength(1); // the answer was lost
      // The contract: throw OutcomeUnknownError and never send the create again on its own.
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(OutcomeUnknownError);
      const found = await fx.sink.lookup(w, ctx);
      expect(found).toBeDefined();
      if (!(outcome instanceof Error)) expect((outcome as { id: string }).id).toBe(found);
      const same = (await collect(fx.sink.readManaged(testCtx(fx.deps)))).filter((r) => r.identity === fx?.sink.identity.of(w.key));
      expect(same.map((r) => r.id)).toEqual([found]);
      await fx.sink.apply({ op: 'retire', class: w.class, key: w.key, id: found as string, fields: fx.sink.retiredFields() }, ctx);
      expect(await fx.sink.lookup(w, ctx)).toBeUndefined(); // a retired copy is not the record a create made
    });

    it('records without the ownership marker are never read back, looked up or related as managed', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const ctx = testCtx(fx.deps);
      const owned = fx.sink.ownershipFields();
      const [mine, other] = fx.makeCreates(2) as [CreateWrite, CreateWrite];
      const strip = (w: CreateWrite, value: (v: string) => string): CreateWrite => ({ ...w, fields: { ...w.fields, ...Object.fromEntries(Object.entries(owned).map(([k, v]) => [k, value(v)])) } });
      const ids = await createAll(fx, [mine]);
      // The same identity without the marker, and with another owner's value; and a key only unmanaged records carry.
      const unmanaged = [strip(mine, () => ''), strip(mine, (v) => `${v}-other`), strip(other, () => '')];
      for (const w of unmanaged) await fx.sink.apply(w, ctx);
      const records = await collect(fx.sink.readManaged(testCtx(fx.deps)));
      expect(records.map((r) => r.id)).toEqual([ids.get(mine.key)]);
      expect(await fx.sink.lookup(mine, ctx)).toBe(ids.get(mine.key));
      expect(await fx.sink.lookup(other, ctx)).toBeUndefined();

      const c = relationCases(fx)[0] as RelationCase;
      const [parent, child] = [strip(c.parents(1)[0] as CreateWrite, () => ''), strip(c.children(1)[0] as CreateWrite, () => '')];
      const [parentId, childId] = [(await fx.sink.apply(parent, ctx)).id, (await fx.sink.apply(child, ctx)).id];
      await fx.sink.apply({ op: 'relate', type: c.type, parentId, childId, holder: c.holder }, ctx);
      expect(await collect(fx.sink.readRelations(testCtx(fx.deps)))).toEqual([]);
    });

    it('rejected credentials give an AuthError naming the sink, without the secret', async () => {
      fx = await harness.setup({ credentials: 'invalid' });
      const ctx = testCtx(fx.deps);
      const err = await collect(fx.sink.readManaged(ctx)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AuthError);
      expect((err as Error).message).toContain(fx.sink.name);
      expect((err as Error).message).not.toContain(fx.secret);
      const checks = await fx.sink.check(ctx);
      expect(checks.some((c) => !c.ok && (c.hint ?? '') !== '')).toBe(true);
      expect(JSON.stringify(checks) + fx.deps.logger.lines.join('\n')).not.toContain(fx.secret);
    });

    it('a malformed response names the sink and the field', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      await createAll(fx, fx.makeCreates(1));
      const { field } = fx.breakNextReadResponse();
      const err = await collect(fx.sink.readManaged(testCtx(fx.deps))).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MalformedResponseError);
      expect((err as Error).message).toContain(fx.sink.name);
      expect((err as Error).message).toContain(field);
    });
  });
}

/** The fixture's relation cases, or, for relation rows, two CMDB types between any records it makes. */
function relationCases(f: SinkFixture): RelationCase[] {
  if (f.relations) return f.relations;
  if (f.sink.relationStorage !== 'rows') throw new Error(`${f.sink.name}: a sink that stores relations as references must give its harness \`relations\``);
  let made = 0;
  const fresh = (n: number) => {
    const writes = f.makeCreates(made + n).slice(made);
    made += n;
    return writes;
  };
  return [
    { type: 'Contains::Contained by', holder: 'child', parents: fresh, children: fresh, several: true },
    { type: 'Depends on::Used by', holder: 'parent', parents: fresh, children: fresh, several: true },
  ];
}
