import { reconcile as reconcileAll, type ReconcileInput, type SinkInput, type PriorLink } from '../../src/engine/reconcile';
import type { DesiredRecord, SinkRecord, SinkRelation } from '../../src/engine/types';

const RETIRED = { status: 'retired' };
const reconcile = (i: ReconcileInput) => reconcileAll(i).plan;

function desired(key: string, fields: Record<string, string>, extra: Partial<DesiredRecord> = {}): DesiredRecord {
  return { key, kind: key.includes('/v/') ? 'model_version' : 'model', source: 'src', class: 'c', fields: { ext: key, ...fields }, sinkAuthoritative: [], relations: [], lookups: {}, ...extra };
}

function record(id: string, key: string, fields: Record<string, string>): SinkRecord {
  return { id, class: 'c', identity: key, fields: { ext: key, ...fields } };
}

function input(s: Partial<SinkInput>, over: Partial<ReconcileInput> = {}): ReconcileInput {
  return {
    sinks: [{ sink: 'snk', desired: [], actual: [], relations: [], links: new Map(), identityOf: (k) => k, retiredFields: RETIRED, createdByMasync: new Set(), missing: new Set(), knownRelations: { has: () => false, ids: () => new Set<string>() }, ...s }],
    mayRetire: () => true,
    titleOf: () => undefined,
    inScope: new Set(['src']),
    attribute: (key) => (key.startsWith('m:') ? { source: 'src', kind: key.includes('/v/') ? 'model_version' : 'model' } : undefined),
    maxRetireFraction: 1,
    ...over,
  };
}

describe('reconcile', () => {
  it('creates what is missing, updates only changed fields, leaves equal records alone', () => {
    const plan = reconcile(
      input({
        desired: [desired('m:a', { name: 'A', stage: 'Production' }), desired('m:b', { name: 'B' }), desired('m:c', { name: 'C' })],
        actual: [record('1', 'm:a', { name: 'A', stage: 'Staging' }), record('2', 'm:b', { name: 'B' })],
      }),
    );
    expect(plan.summary).toEqual({ create: 1, update: 1, retire: 0, relate: 0, unrelate: 0, unchanged: 1 });
    const update = plan.ops.find((o) => o.op === 'update');
    expect(update).toMatchObject({ key: 'm:a', id: '1', changes: { stage: { from: 'Staging', to: 'Production' } } });
    expect(Object.keys(update?.changes ?? {})).toEqual(['stage']);
    expect(plan.ops.find((o) => o.op === 'create')).toMatchObject({ key: 'm:c', changes: { name: { from: null, to: 'C' } } });
  });

  it('retires a managed record whose item is gone, and only once', () => {
    const plan = reconcile(
      input({
        desired: [desired('m:a', {})],
        actual: [record('1', 'm:a', {}), record('2', 'm:gone', { status: 'active' }), record('3', 'm:old', { status: 'retired' })],
      }),
    );
    expect(plan.ops.filter((o) => o.op === 'retire')).toEqual([
      expect.objectContaining({ key: 'm:gone', id: '2', changes: { status: { from: 'active', to: 'retired' } } }),
    ]);
  });

  it('brings a retired record back when its item returns', () => {
    const plan = reconcile(input({ desired: [desired('m:a', { status: 'active' })], actual: [record('1', 'm:a', { status: 'retired' })] }));
    expect(plan.ops).toEqual([expect.objectContaining({ op: 'update', changes: { status: { from: 'retired', to: 'active' } } })]);
  });

  it('retires nothing of a source that is not retirable (failed or suspiciously small)', () => {
    const plan = reconcile(input({ actual: [record('1', 'm:gone', {})] }, { mayRetire: () => false }));
    expect(plan.ops).toEqual([]);
  });

  it('leaves records of sources outside this run, and records nobody can attribute, alone', () => {
    const plan = reconcile(
      input({ actual: [record('1', 'm:other', {}), record('2', 'sha256:abc', {})] }, { inScope: new Set(['another']) }),
    );
    expect(plan.ops).toEqual([]);
    expect(plan.notes.join('\n')).toContain('1 managed record(s) belong to no known source');
  });

  it('attributes a hashed identity through its state link', () => {
    const links = new Map<string, PriorLink>([['m:long', { source: 'src', kind: 'model', identity: 'sha256:abc', recordId: '?', applied: {} }]]);
    const plan = reconcile(input({ actual: [record('9', 'sha256:abc', {})], links }));
    expect(plan.ops).toEqual([expect.objectContaining({ op: 'retire', key: 'm:long', id: '9' })]);
  });

  it('blocks a mass retirement above maxRetireFraction, but still shows it', () => {
    const actual = ['a', 'b', 'c', 'd'].map((k, i) => record(String(i), `m:${k}`, {}));
    const plan = reconcile(input({ desired: [desired('m:a', {})], actual }, { maxRetireFraction: 0.5 }));
    expect(plan.summary.retire).toBe(3);
    expect(plan.blocked).toContain('would retire 3 of 4 managed records in sink snk');
    const allowed = reconcile(input({ desired: [desired('m:a', {}), desired('m:b', {})], actual }, { maxRetireFraction: 0.5 }));
    expect(allowed.blocked).toBeUndefined();
  });

  describe('drift', () => {
    const links = new Map<string, PriorLink>([['m:a', { source: 'src', kind: 'model', identity: 'm:a', recordId: '?', applied: { owner: 'alice', stage: 'Staging' } }]]);

    it('overwrites a person\'s edit of a source-authoritative field and says so', () => {
      const plan = reconcile(input({ desired: [desired('m:a', { owner: 'alice', stage: 'Staging' })], actual: [record('1', 'm:a', { owner: 'alice', stage: 'Bogus' })], links }));
      expect(plan.ops[0]).toMatchObject({ op: 'update', changes: { stage: { from: 'Bogus', to: 'Staging' } }, drift: ['stage'] });
    });

    it('leaves a person\'s edit of a sink-authoritative field and reports it', () => {
      const d = desired('m:a', { owner: 'alice', stage: 'Staging' }, { sinkAuthoritative: ['owner'] });
      const plan = reconcile(input({ desired: [d], actual: [record('1', 'm:a', { owner: 'bob', stage: 'Staging' })], links }));
      expect(plan.ops).toEqual([]);
      expect(plan.drift).toEqual([{ sink: 'snk', key: 'm:a', field: 'owner', sinkValue: 'bob', sourceValue: 'alice' }]);
    });

    it('still updates a sink-authoritative field when the source changed and nobody edited it', () => {
      const d = desired('m:a', { owner: 'carol', stage: 'Staging' }, { sinkAuthoritative: ['owner'] });
      const plan = reconcile(input({ desired: [d], actual: [record('1', 'm:a', { owner: 'alice', stage: 'Staging' })], links }));
      expect(plan.ops[0]).toMatchObject({ op: 'update', changes: { owner: { from: 'alice', to: 'carol' } } });
      expect(plan.ops[0]?.drift).toBeUndefined();
    });
  });

  describe('relations', () => {
    const version = desired('m:a/v/1', {}, { relations: [{ type: 'Contains', targetKey: 'm:a', role: 'child' }] });

    it('relates records that will exist, once', () => {
      const plan = reconcile(input({ desired: [desired('m:a', {}), version] }));
      expect(plan.ops.filter((o) => o.op === 'relate')).toEqual([expect.objectContaining({ key: 'm:a/v/1', relation: { type: 'Contains', parent: 'm:a', child: 'm:a/v/1', holder: 'child' } })]);
      const rel: SinkRelation = { id: 'r1', type: 'Contains', parentId: '1', childId: '2' };
      const again = reconcile(input({ desired: [desired('m:a', {}), version], actual: [record('1', 'm:a', {}), record('2', 'm:a/v/1', {})], relations: [rel] }));
      expect(again.ops).toEqual([]);
    });

    it('removes a stale relation of a managed type but never one a person drew', () => {
      const v2 = desired('m:b/v/1', {}, { relations: [{ type: 'Contains', targetKey: 'm:b', role: 'child' }] });
      const actual = [record('1', 'm:a', {}), record('2', 'm:b/v/1', {}), record('3', 'm:b', {})];
      const relations: SinkRelation[] = [
        { id: 'stale', type: 'Contains', parentId: '1', childId: '2' },
        { id: 'ok', type: 'Contains', parentId: '3', childId: '2' },
        { id: 'human', type: 'Depends on', parentId: '1', childId: '2' },
        { id: 'foreign', type: 'Contains', parentId: 'svc-9', childId: '2' },
      ];
      const plan = reconcile(input({ desired: [desired('m:a', {}), desired('m:b', {}), v2], actual, relations }));
      expect(plan.ops.map((o) => [o.op, o.id])).toEqual([['unrelate', 'stale']]);
    });
  });

  it('is deterministic: shuffled input gives the same plan, byte for byte', () => {
    const d = ['x', 'a', 'm', 'c'].map((k) => desired(`m:${k}`, { name: k.toUpperCase() }));
    const a = ['c', 'zz', 'm'].map((k, i) => record(String(i), `m:${k}`, { name: 'old' }));
    const one = JSON.stringify(reconcile(input({ desired: d, actual: a })));
    const two = JSON.stringify(reconcile(input({ desired: [...d].reverse(), actual: [...a].reverse() })));
    expect(two).toBe(one);
  });

  it('notes two records sharing one identity and updates only the first', () => {
    const plan = reconcile(input({ desired: [desired('m:a', { name: 'A' })], actual: [record('2', 'm:a', { name: 'x' }), record('1', 'm:a', { name: 'y' })] }));
    expect(plan.ops).toEqual([expect.objectContaining({ op: 'update', id: '1' })]);
    expect(plan.notes[0]).toContain("records 1, 2 share identity m:a, but masync's journal has no create for it; masync keeps 1");
  });
});

describe('reconcile matches', () => {
  it('hands back the record each key was matched to, wanted or dropped, keeping the first of a duplicate pair', () => {
    const { matched } = reconcileAll(
      input({ desired: [desired('m:a', {})], actual: [record('2', 'm:a', {}), record('1', 'm:a', {}), record('3', 'm:gone', {})] }),
    );
    expect([...(matched.get('snk') ?? new Map())].map(([key, m]) => [key, m.record.id, m.source])).toEqual([
      ['m:a', '1', 'src'],
      ['m:gone', '3', 'src'],
    ]);
  });
});
