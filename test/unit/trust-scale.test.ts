import { runSync } from '../../src/app/sync-run';
import { planToJson, renderPlan } from '../../src/engine/render';
import { reconcile } from '../../src/engine/reconcile';
import type { DesiredRecord, SinkRecord, SourceContext } from '../../src/engine/types';
import type { InventoryItem } from '../../src/inventory';
import { MemorySink, MemorySource, model } from '../support/memory';
import { memoryRuntime, runBaseFor } from '../support/runtime';

const N = 250_000;

/** A source of a few good items and a quarter of a million records it could not identify, all in one scope (an account). */
class SkippingSource extends MemorySource {
  scopeOfKey(): string {
    return 'acct-1';
  }
  override async *list(ctx?: SourceContext): AsyncIterable<InventoryItem> {
    for (let i = 0; i < N; i++) ctx?.skipped({ item: `record ${i}`, scope: 'acct-1', error: new Error('no id in the answer') });
    yield* super.list();
  }
}

/** Issue 8: a registry of hundreds of thousands of versions makes plans, error lists and notes of that size. */
describe('plans of 250,000 operations', () => {
  it('reconcile, the JSON contract and the rendered plan handle them without a stack overflow', () => {
    const M = N / 4;
    const desired: DesiredRecord[] = [];
    const actual: SinkRecord[] = [];
    for (let i = 0; i < M; i++) {
      const key = `m:${i}/v/1`;
      // Every version is related to its model; half the versions exist with a stale name (an update), half are new (a create); every model is new; one gone model per item is retired.
      desired.push({ key, kind: 'model_version', source: 'src', class: 'c', fields: { ext: key, name: `v${i}` }, sinkAuthoritative: [], relations: [{ type: 'Contains', targetKey: `m:${i}`, role: 'child' }], lookups: {} });
      if (i % 2 === 0) actual.push({ id: `r${i}`, class: 'c', identity: key, fields: { ext: key, name: 'stale' } });
      desired.push({ key: `m:${i}`, kind: 'model', source: 'src', class: 'c', fields: { ext: `m:${i}` }, sinkAuthoritative: [], relations: [], lookups: {} });
      actual.push({ id: `g${i}`, class: 'c', identity: `m:gone${i}`, fields: { ext: `m:gone${i}` } });
    }
    const { plan } = reconcile({
      sinks: [{ sink: 'snk', desired, actual, relations: [], links: new Map(), identityOf: (k) => k, retiredFields: { status: 'retired' }, createdByMasync: new Set(), missing: new Set(), knownRelations: { has: () => false, ids: () => new Set<string>() } }],
      mayRetire: () => true,
      inScope: new Set(['src']),
      attribute: (key) => (key.startsWith('m:') ? { source: 'src', kind: 'model' } : undefined),
      maxRetireFraction: 1,
      titleOf: () => undefined,
    });
    expect(plan.summary).toEqual({ create: M + M / 2, update: M / 2, retire: M, relate: M, unrelate: 0, unchanged: 0 });
    expect(plan.ops).toHaveLength(N);
    expect((planToJson(plan).ops as unknown[]).length).toBe(N);
    expect(renderPlan(plan, { color: false, fields: false })).toContain(`Plan: ${M + M / 2} to create, ${M / 2} to update, ${M} to retire, ${M} to relate, 0 to unrelate, 0 unchanged.`);
  });

  it('a source that skips 250,000 records it cannot identify: the sync completes, holding back that scope once', async () => {
    const src = new SkippingSource('reg');
    src.items = [model('reg', 'a'), model('reg', 'b')];
    const rt = memoryRuntime({ sources: [src], sinks: [new MemorySink('cmdb')] });
    try {
      const r = await runSync(rt, { allowMassRetire: false, waitMs: 0 }, runBaseFor(rt));
      expect(r).toMatchObject({ status: 'partial', applied: { create: 2 } });
      expect(r.held).toEqual([expect.objectContaining({ source: 'reg', scope: 'acct-1', reason: 'skipped-records', detail: expect.stringContaining(`skipped ${N} record(s) in scope acct-1`) })]);
      expect(r.notes.length).toBeLessThan(10);
    } finally {
      rt.close();
    }
  });
});
