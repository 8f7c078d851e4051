import { AuthError, MalformedResponseError } from '../../src/errors';
import type { Source } from '../../src/engine/types';
import { itemHash } from '../../src/inventory';
import type { EmulatorServer } from '../../connectors/emulator-kit';
import { collect, testCtx, type TestDeps } from '../support/deps';

/** What a source connector supplies to be checked like every other source. */
export interface SourceHarness {
  /** Start an emulator seeded with enough items to need several pages; build a source against it. */
  setup(opts: { credentials: 'valid' | 'invalid' }): Promise<SourceFixture>;
}

export interface SourceFixture {
  source: Source;
  emulator: EmulatorServer;
  deps: TestDeps;
  /** Every key the seeded emulator should yield. */
  expectedKeys: string[];
  /** The credential in use; it must never show up in errors or logs. */
  secret: string;
  /** Make the next list response malformed; returns the field the error must name. */
  breakNextListResponse(): { field: string };
  /** Path prefix of the paginated list call, to count pages. */
  listPath: string;
  teardown(): Promise<void>;
}

export function describeSourceConformance(name: string, harness: SourceHarness): void {
  describe(`source conformance: ${name}`, () => {
    let fx: SourceFixture | undefined;
    afterEach(async () => {
      await fx?.teardown();
      fx = undefined;
    });

    it('check() passes against a healthy server', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const results = await fx.source.check(testCtx(fx.deps));
      expect(results.length).toBeGreaterThan(0);
      expect(results.filter((r) => !r.ok)).toEqual([]);
    });

    it('reads every item across several pages', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const items = await collect(fx.source.list(testCtx(fx.deps)));
      expect(items.map((i) => i.key).sort()).toEqual([...fx.expectedKeys].sort());
      expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
      expect(fx.emulator.count('GET', fx.listPath)).toBeGreaterThan(1);
      for (const item of items) {
        expect(item.source).toBe(fx.source.name);
        expect(fx.source.kindOfKey(item.key)).toBe(item.kind);
      }
    });

    it('reads the same content twice (re-reading is a no-op downstream)', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const ctx = testCtx(fx.deps);
      const first = (await collect(fx.source.list(ctx))).map(itemHash).sort();
      const second = (await collect(fx.source.list(ctx))).map(itemHash).sort();
      expect(second).toEqual(first);
    });

    it('rejected credentials give an AuthError naming the source, without the secret', async () => {
      fx = await harness.setup({ credentials: 'invalid' });
      const ctx = testCtx(fx.deps);
      const err = await collect(fx.source.list(ctx)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AuthError);
      const message = (err as Error).message;
      expect(message).toContain(fx.source.name);
      expect(message).not.toContain(fx.secret);
      const checks = await fx.source.check(ctx);
      const failed = checks.filter((c) => !c.ok);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((c) => (c.hint ?? '').length > 0)).toBe(true);
      expect(JSON.stringify(checks)).not.toContain(fx.secret);
      expect(fx.deps.logger.lines.join('\n')).not.toContain(fx.secret);
    });

    it('a malformed response names the source and the field', async () => {
      fx = await harness.setup({ credentials: 'valid' });
      const { field } = fx.breakNextListResponse();
      const err = await collect(fx.source.list(testCtx(fx.deps))).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MalformedResponseError);
      expect((err as Error).message).toContain(fx.source.name);
      expect((err as Error).message).toContain(field);
    });
  });
}
