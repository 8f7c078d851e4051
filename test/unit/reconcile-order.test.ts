import { reconcile, type PriorLink, type ReconcileInput, type SinkInput } from '../../src/engine/reconcile';
import { tripleId } from '../../src/engine/reconcile-relations';
import type { DesiredRecord, SinkRecord, SinkRelation } from '../../src/engine/types';

/**
 * The plan is a function of what was read, not of the order it was read in:
 * sinks page in any order and state loads in its own. A world with every
 * case reconcile tells apart (creates, updates, retires, duplicates masync
 * made and did not make, relations wanted, missing, unwanted, doubled and on
 * copies) is reconciled as read and then with every list and map shuffled;
 * the plans must be equal to the byte.
 */
const RETIRED = { status: 'retired' };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function shuffled<T>(list: readonly T[], rand: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

interface World {
  desired: DesiredRecord[];
  actual: SinkRecord[];
  relations: SinkRelation[];
  links: Array<[string, PriorLink]>;
  createdByMasync: string[];
  known: string[];
  /** Sink ids of relations state knows, and of those an incremental read did not return. */
  knownIds: string[];
  remembered: string[];
}

function world(seed: number): World {
  const rand = rng(seed);
  const desired: DesiredRecord[] = [];
  const actual: SinkRecord[] = [];
  const relations: SinkRelation[] = [];
  const links: Array<[string, PriorLink]> = [];
  const createdByMasync: string[] = [];
  const known: string[] = [];
  const knownIds: string[] = [];
  const remembered: string[] = [];
  let nextId = 1000;
  const id = () => `id${nextId++}`;
  const recordOf = new Map<string, string>();
  const copyOf = new Map<string, string>();
  for (let m = 0; m < 30; m++) {
    const model = `m:model${m}`;
    const versions = Array.from({ length: 3 }, (_, v) => `${model}/v/${v}`);
    for (const key of [model, ...versions]) {
      const kind = key.includes('/v/') ? 'model_version' : 'model';
      const r = rand();
      const wanted = r > 0.1;
      const relationsOf = kind === 'model_version' ? [{ type: 'Depends on::Used by', targetKey: model, role: 'child' as const }] : [];
      if (wanted) desired.push({ key, kind, source: 'src', class: 'c', fields: { ext: key, name: `n${Math.floor(rand() * 3)}`, status: 'active' }, sinkAuthoritative: ['owner'], relations: relationsOf, lookups: {} });
      if (r < 0.85) {
        const rid = id();
        recordOf.set(key, rid);
        actual.push({ id: rid, class: 'c', identity: key, fields: { ext: key, name: `n${Math.floor(rand() * 3)}`, status: rand() < 0.2 ? 'retired' : 'active' } });
        if (rand() < 0.8) links.push([key, { source: 'src', kind, identity: key, recordId: rid, applied: { name: 'n0' } }]);
        if (rand() < 0.15) {
          // A second record of one identity: a copy masync made, or someone else's.
          const copy = id();
          copyOf.set(key, copy);
          actual.push({ id: copy, class: 'c', identity: key, fields: { ext: key, status: rand() < 0.3 ? 'retired' : 'active' } });
          if (rand() < 0.6) createdByMasync.push(key);
        }
      }
    }
    for (const v of versions) {
      const child = recordOf.get(v);
      const parent = recordOf.get(model);
      if (!child || !parent) continue;
      const rows = rand() < 0.7 ? 1 : rand() < 0.5 ? 0 : 2;
      for (let i = 0; i < rows; i++) {
        const rid = id();
        relations.push({ id: rid, type: 'Depends on::Used by', parentId: parent, childId: child });
        if (rand() < 0.4) knownIds.push(rid);
        if (rand() < 0.1) remembered.push(rid);
      }
      if (rand() < 0.5) known.push(tripleId('Depends on::Used by', model, v));
      if (rand() < 0.1) relations.push({ id: id(), type: 'Depends on::Used by', parentId: child, childId: parent });
      const copy = copyOf.get(v);
      if (copy && rand() < 0.7) relations.push({ id: id(), type: 'Depends on::Used by', parentId: parent, childId: copy });
    }
  }
  return { desired, actual, relations, links, createdByMasync, known, knownIds, remembered };
}

function known(triples: ReadonlySet<string>, ids: ReadonlySet<string>): SinkInput['knownRelations'] {
  return { has: (id) => triples.has(id), ids: () => ids };
}

function input(w: World, rand?: () => number): ReconcileInput {
  const order = <T,>(list: readonly T[]) => (rand ? shuffled(list, rand) : [...list]);
  const sink: SinkInput = {
    sink: 'snk',
    desired: order(w.desired),
    actual: order(w.actual),
    relations: order(w.relations),
    links: new Map(order(w.links)),
    identityOf: (k) => k,
    retiredFields: RETIRED,
    createdByMasync: new Set(order(w.createdByMasync)),
    missing: new Set(),
    knownRelations: known(new Set(order(w.known)), new Set(order(w.knownIds))),
    rememberedRelationIds: new Set(order(w.remembered)),
  };
  return {
    sinks: [sink],
    mayRetire: () => true,
    titleOf: (k) => `title of ${k}`,
    inScope: new Set(['src']),
    attribute: (key) => (key.startsWith('m:') ? { source: 'src', kind: key.includes('/v/') ? 'model_version' : 'model' } : undefined),
    maxRetireFraction: 1,
  };
}

function planText(i: ReconcileInput): string {
  const { plan, matched } = reconcile(i);
  const m = [...(matched.get('snk') ?? new Map())].map(([k, a]) => [k, a.record.id]).sort();
  return JSON.stringify({ plan, matched: m });
}

describe('reconcile is independent of read order', () => {
  it.each([1, 2, 3, 4, 5])('world %i: every kind of op appears, and shuffling the input changes nothing', (seed) => {
    const w = world(seed);
    const asRead = planText(input(w));
    const ops = new Set((JSON.parse(asRead).plan.ops as Array<{ op: string }>).map((o) => o.op));
    // The world must exercise what it claims to, or the comparison proves little.
    expect([...ops].sort()).toEqual(['create', 'relate', 'retire', 'unrelate', 'update']);
    const rand = rng(seed * 7919);
    for (let round = 0; round < 5; round++) expect(planText(input(w, rand))).toBe(asRead);
  });
});
