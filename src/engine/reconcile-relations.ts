import type { ItemKind } from '../inventory';
import { cmp, type Attributed, type SinkInput } from './reconcile';
import type { PlanOp, SinkRecord } from './types';

interface Triple {
  type: string;
  parent: string;
  child: string;
  /** The record whose mapping declares the relation. */
  declaredBy: { key: string; kind: ItemKind };
}

/** One relation as a comparable string: its type and the keys at both ends. */
export function tripleId(type: string, parent: string, child: string): string {
  return JSON.stringify([type, parent, child]);
}

/**
 * Relations to add and remove. Only relations between two records masync
 * currently wants, of a type its mapping writes, are ever removed: a link a
 * person drew to a business service is not masync's to take away. Relations
 * of a duplicate copy masync is retiring are removed and drawn to the kept one.
 * A relation with an end whose record the read could not see (`withheld`) is
 * left for a run that sees it: there is no record to draw it to.
 */
export function planRelations(s: SinkInput, matched: ReadonlyMap<string, Attributed>, duplicates: ReadonlyMap<string, SinkRecord[]>, withheld: ReadonlySet<string>): PlanOp[] {
  const desiredKeys = new Set(s.desired.map((d) => d.key));
  const wanted = new Map<string, Triple>();
  const managedTypes = new Set<string>();
  for (const d of s.desired) {
    for (const rel of d.relations) {
      managedTypes.add(rel.type);
      if (!desiredKeys.has(rel.targetKey) && !matched.has(rel.targetKey)) continue; // the other end is not in this sink
      if (withheld.has(d.key) || withheld.has(rel.targetKey)) continue;
      const [parent, child] = rel.role === 'child' ? [rel.targetKey, d.key] : [d.key, rel.targetKey];
      wanted.set(tripleId(rel.type, parent, child), { type: rel.type, parent, child, declaredBy: { key: d.key, kind: d.kind } });
    }
  }

  const keyOfId = new Map<string, Attributed & { copy?: true }>();
  for (const m of matched.values()) keyOfId.set(m.record.id, m);
  for (const [identity, extras] of duplicates) {
    const kept = [...matched.values()].find((m) => m.record.identity === identity);
    if (kept && s.createdByMasync.has(kept.key)) for (const e of extras) keyOfId.set(e.id, { ...kept, record: e, copy: true });
  }
  const mayUnrelate = !s.suspect && !s.relationsSuspect;
  const present = new Set<string>();
  const unrelates: PlanOp[] = [];
  for (const rel of [...s.relations].sort((a, b) => cmp(a.id, b.id))) {
    const parent = keyOfId.get(rel.parentId);
    const child = keyOfId.get(rel.childId);
    if (!parent || !child) continue;
    const id = tripleId(rel.type, parent.key, child.key);
    const onCopy = parent.copy || child.copy;
    if (!onCopy && (wanted.has(id) || present.has(id))) {
      present.add(id);
      continue;
    }
    if (!mayUnrelate || !managedTypes.has(rel.type) || !desiredKeys.has(parent.key) || !desiredKeys.has(child.key)) continue;
    const holder = wanted.get(id)?.declaredBy.key === parent.key ? 'parent' : 'child';
    unrelates.push({
      op: 'unrelate',
      sink: s.sink,
      kind: child.kind,
      key: child.key,
      id: rel.id,
      changes: {},
      relation: { type: rel.type, parent: parent.key, child: child.key, holder },
      ...(onCopy ? { reason: `drawn to a duplicate copy masync is retiring; drawn to the kept record instead` } : {}),
    });
  }
  const relates: PlanOp[] = [];
  for (const [id, t] of [...wanted].sort((a, b) => cmp(a[0], b[0]))) {
    if (present.has(id)) continue;
    const known = s.knownRelations.has(id);
    if (known && s.relationsSuspect) continue;
    relates.push({
      op: 'relate',
      sink: s.sink,
      kind: t.declaredBy.kind,
      key: t.declaredBy.key,
      changes: {},
      relation: { type: t.type, parent: t.parent, child: t.child, holder: t.declaredBy.key === t.parent ? 'parent' : 'child' },
      ...(known ? { reason: 'masync drew this relation before and it is gone from the sink (removed by someone?); drawing it again' } : {}),
    });
  }
  return [...relates, ...unrelates];
}
