import { AuthError, MalformedResponseError } from '../../src/errors';
import type { Sink, SinkWrite } from '../../src/engine/types';
import type { EmulatorServer } from '../../connectors/emulator-kit';
import { collect, testCtx, type TestDeps } from '../support/deps';

type CreateWrite = Extract<SinkWrite, { op: 'create' }>;

/** What a sink connector supplies to be checked like every other sink. */
export interface SinkHarness {
  setup(opts: { credentials: 'valid' | 'invalid' }): Promise<SinkFixture>;
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
  /** Make the next read response malformed; returns the field the error must name. */
  breakNextReadResponse(): { field: string };
  teardown(): Promise<void>;
}

export function describeSinkConformance(name: string, harness: SinkHarness): void {
  describe(`sink conformance: ${name}`, () => {
    let fx: SinkFixture | undefined;
    afterEach(async () => {
      if (fx) expect(fx.emulator.count('DELETE')).toBe(0); // no sink ever deletes a record
      await fx?.teardown();
      fx = undefined;
    });

    async function createAll(f: SinkFixture, n: number) {
      const ctx = testCtx(f.deps);
      const writes = f.makeCreates(n);
      const ids = new Map<string, string>();
      for (const w of writes) ids.set(w.key, (await f.sink.apply(w, ctx)).id);
      return { writes, ids };
    }

    it('check() passes against a healthy server', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const results = await fx.sink.check(testCtx(fx.deps));
      expect(results.filter((r) => !r.ok)).toEqual([]);
    });

    it('reads back every managed record across several pages', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const n = fx.pageSize * 2 + 1;
      const { writes, ids } = await createAll(fx, n);
      const before = fx.emulator.count('GET', fx.readPath);
      const records = await collect(fx.sink.readManaged(testCtx(fx.deps)));
      expect(fx.emulator.count('GET', fx.readPath) - before).toBeGreaterThan(1);
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
      const { writes, ids } = await createAll(fx, 1);
      const w = writes[0] as CreateWrite;
      const id = ids.get(w.key) as string;
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

    it('relates two records and reads the relation back', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const ctx = testCtx(fx.deps);
      const { writes, ids } = await createAll(fx, 2);
      const [a, b] = writes.map((w) => ids.get(w.key) as string);
      const rel = await fx.sink.apply({ op: 'relate', type: 'Contains::Contained by', parentId: a as string, childId: b as string, holder: 'child' }, ctx);
      const relations = await collect(fx.sink.readRelations(ctx));
      expect(relations).toEqual([expect.objectContaining({ id: rel.id, parentId: a, childId: b, type: 'Contains::Contained by' })]);
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
      await createAll(fx, 1);
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
