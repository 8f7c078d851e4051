import type { ItemKind } from '../inventory';
import type { Attributed, SinkInput } from './reconcile';
import type { PlanOp } from './types';

interface Triple {
  type: string;
  parent: string;
  child: string;
  /** The record whose mapping declares the relation. */
  declaredBy: { key: string; kind: ItemKind };
}

/**
 * Relations to add and remove. Only relations between two records masync
 * currently wants, of a type its mapping writes, are ever removed: a link a
 * person drew to a business service is not masync's to take away.
 */
export function planRelations(s: SinkInput, matched: ReadonlyMap<string, Attributed>): PlanOp[] {
  const desiredKeys = new Set(s.desired.map((d) => d.key));
  const wanted = new Map<string, Triple>();
  const managedTypes = new Set<string>();
  for (const d of s.desired) {
    for (const rel of d.relations) {
      managedTypes.add(rel.type);
      if (!desiredKeys.has(rel.targetKey) && !matched.has(rel.targetKey)) continue; // the other end is not in this sink
      const [parent, child] = rel.role === 'child' ? [rel.targetKey, d.key] : [d.key, rel.targetKey];
      wanted.set(tripleId(rel.type, parent, child), { type: rel.type, parent, child, declaredBy: { key: d.key, kind: d.kind } });
    }
  }

  const keyOfId = new Map<string, Attributed>();
  for (const m of matched.values()) keyOfId.set(m.record.id, m);
  const present = new Set<string>();
  const unrelates: PlanOp[] = [];
  for (const rel of [...s.relations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const parent = keyOfId.get(rel.parentId);
    const child = keyOfId.get(rel.childId);
    if (!parent || !child) continue;
    const id = tripleId(rel.type, parent.key, child.key);
    if (wanted.has(id) || present.has(id)) {
      present.add(id);
      continue;
    }
    if (!managedTypes.has(rel.type) || !desiredKeys.has(parent.key) || !desiredKeys.has(child.key)) continue;
    unrelates.push({ op: 'unrelate', sink: s.sink, kind: child.kind, key: child.key, id: rel.id, changes: {}, relation: { type: rel.type, parent: parent.key, child: child.key, holder: 'child' } });
  }
  const relates: PlanOp[] = [];
  for (const [id, t] of [...wanted].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (present.has(id)) continue;
    relates.push({ op: 'relate', sink: s.sink, kind: t.declaredBy.kind, key: t.declaredBy.key, changes: {}, relation: { type: t.type, parent: t.parent, child: t.child, holder: t.declaredBy.key === t.parent ? 'parent' : 'child' } });
  }
  return [...relates, ...unrelates];
}

function tripleId(type: string, parent: string, child: string): string {
  return JSON.stringify([type, parent, child]);
}
