import type { ItemKind } from '../inventory';
import { cmp, keptByIdentity, type Attributed, type SinkInput } from './reconcile';
import type { PlanOp, SinkRecord, SinkRelation } from './types';

interface Triple {
  type: string;
  parent: string;
  child: string;
  /** The record whose mapping declares the relation. */
  declaredBy: { key: string; kind: ItemKind };
  /** Rows the sink holds of it between kept records: one is the relation, any other a copy. */
  rows?: Row[];
}

/** A record end of a relation row: a copy is a duplicate record masync is retiring, standing for the kept one. */
type End = Attributed & { copy?: true };

interface Row {
  rel: SinkRelation;
  parent: End;
  child: End;
}

/** One relation as a comparable string: its type and the keys at both ends. */
export function tripleId(type: string, parent: string, child: string): string {
  return JSON.stringify([type, parent, child]);
}

/**
 * Wanted relations by type and ends. Keys are numbered as they are met, so a
 * relation is looked up by a short code rather than by two long keys joined:
 * a run compares every relation the sink holds, and at 100,000 of them the
 * joined keys cost more than the comparison.
 */
class Wanted {
  private readonly numbers = new Map<string, number>();
  private readonly byCode = new Map<string, Triple>();

  /** Triples in the order first declared. */
  values(): IterableIterator<Triple> {
    return this.byCode.values();
  }

  /** A relation declared again keeps its place and takes the later declaration. */
  set(t: Triple): void {
    const code = this.code(t.type, t.parent, t.child, true) as string;
    const had = this.byCode.get(code);
    if (had) had.declaredBy = t.declaredBy;
    else this.byCode.set(code, t);
  }

  get(type: string, parent: string, child: string): Triple | undefined {
    const code = this.code(type, parent, child, false);
    return code === undefined ? undefined : this.byCode.get(code);
  }

  private code(type: string, parent: string, child: string, add: boolean): string | undefined {
    const t = this.number(type, add);
    const p = this.number(parent, add);
    const c = this.number(child, add);
    return t === undefined || p === undefined || c === undefined ? undefined : `${t},${p},${c}`;
  }

  private number(text: string, add: boolean): number | undefined {
    let n = this.numbers.get(text);
    if (n === undefined && add) this.numbers.set(text, (n = this.numbers.size));
    return n;
  }
}

/**
 * Relations to add and remove. Only relations between two records masync
 * currently wants, of a type its mapping writes, are ever removed: a link a
 * person drew to a business service is not masync's to take away. Relations
 * of a duplicate copy masync is retiring are removed and drawn to the kept one,
 * and a second row of one relation (a relate that landed late) is removed.
 * A relation with an end whose record the read could not see (`withheld`) is
 * left for a run that sees it: there is no record to draw it to.
 */
export function planRelations(s: SinkInput, matched: ReadonlyMap<string, Attributed>, duplicates: ReadonlyMap<string, SinkRecord[]>, withheld: ReadonlySet<string>): PlanOp[] {
  const desiredKeys = new Set<string>();
  for (const d of s.desired) desiredKeys.add(d.key);
  const wanted = new Wanted();
  const managedTypes = new Set<string>();
  for (const d of s.desired) {
    for (const rel of d.relations) {
      managedTypes.add(rel.type);
      if (!desiredKeys.has(rel.targetKey) && !matched.has(rel.targetKey)) continue; // the other end is not in this sink
      if (withheld.has(d.key) || withheld.has(rel.targetKey)) continue;
      const [parent, child] = rel.role === 'child' ? [rel.targetKey, d.key] : [d.key, rel.targetKey];
      wanted.set({ type: rel.type, parent, child, declaredBy: { key: d.key, kind: d.kind } });
    }
  }

  const keyOfId = new Map<string, End>();
  for (const m of matched.values()) keyOfId.set(m.record.id, m);
  const keptRecords = keptByIdentity(matched, duplicates);
  for (const [identity, extras] of duplicates) {
    const kept = keptRecords.get(identity);
    if (kept && s.createdByMasync.has(kept.key)) for (const e of extras) keyOfId.set(e.id, { ...kept, record: e, copy: true });
  }
  const mayUnrelate = !s.suspect && !s.relationsSuspect;
  const unrelates: PlanOp[] = [];
  const unrelate = (rel: SinkRelation, parent: Attributed, child: Attributed, reason?: string) => {
    if (!mayUnrelate || !managedTypes.has(rel.type) || !desiredKeys.has(parent.key) || !desiredKeys.has(child.key)) return;
    const holder = wanted.get(rel.type, parent.key, child.key)?.declaredBy.key === parent.key ? 'parent' : 'child';
    unrelates.push({
      op: 'unrelate',
      sink: s.sink,
      kind: child.kind,
      key: child.key,
      id: rel.id,
      changes: {},
      relation: { type: rel.type, parent: parent.key, child: child.key, holder },
      ...(reason ? { reason } : {}),
    });
  };
  // Rows are taken as read; only those that lead to a removal are put in id order (a run that changes nothing has none).
  const unwanted: Row[] = [];
  const doubled: Triple[] = [];
  const onCopies = new Set<string>();
  for (const rel of s.relations) {
    const parent = keyOfId.get(rel.parentId);
    const child = keyOfId.get(rel.childId);
    if (!parent || !child) continue;
    const onCopy = parent.copy || child.copy;
    const triple = onCopy ? undefined : wanted.get(rel.type, parent.key, child.key);
    if (!triple) {
      if (onCopy) onCopies.add(tripleId(rel.type, parent.key, child.key));
      unwanted.push({ rel, parent, child });
      continue;
    }
    if (!triple.rows) triple.rows = [{ rel, parent, child }];
    else if (triple.rows.push({ rel, parent, child }) === 2) doubled.push(triple);
  }
  const byId = (a: Row, b: Row) => cmp(a.rel.id, b.rel.id);
  for (const { rel, parent, child } of unwanted.sort(byId)) {
    unrelate(rel, parent, child, parent.copy || child.copy ? 'duplicate copy: drawn to a copy masync is retiring; drawn to the kept record instead' : undefined);
  }
  const remembered = s.rememberedRelationIds ?? new Set<string>();
  for (const t of doubled) (t.rows as Row[]).sort(byId);
  for (const { rows: group = [] } of doubled.sort((a, b) => byId((a.rows as Row[])[0] as Row, (b.rows as Row[])[0] as Row))) {
    // A row state only remembers (an incremental read) may be gone already: a full read settles it.
    if (group.some((g) => remembered.has(g.rel.id))) continue;
    const knownIds = s.knownRelations.ids();
    const keep = group.find((g) => knownIds.has(g.rel.id)) ?? (group[0] as Row);
    for (const g of group) {
      if (g !== keep) unrelate(g.rel, g.parent, g.child, `duplicate of relation ${keep.rel.id} (a relate that landed after its answer was lost); removed, the relation stays`);
    }
  }
  const relates: PlanOp[] = [];
  // Sorted once filtered: in a run that changes nothing, every wanted relation has its row.
  const missing: Array<[string, Triple]> = [];
  for (const t of wanted.values()) if (!t.rows) missing.push([tripleId(t.type, t.parent, t.child), t]);
  for (const [id, t] of missing.sort((a, b) => cmp(a[0], b[0]))) {
    const known = s.knownRelations.has(id);
    if (known && s.relationsSuspect) continue;
    relates.push({
      op: 'relate',
      sink: s.sink,
      kind: t.declaredBy.kind,
      key: t.declaredBy.key,
      changes: {},
      relation: { type: t.type, parent: t.parent, child: t.child, holder: t.declaredBy.key === t.parent ? 'parent' : 'child' },
      ...(onCopies.has(id)
        ? { reason: 'duplicate copy: moved to the kept record from the copy masync is retiring' }
        : known
          ? { reason: 'masync drew this relation before and it is gone from the sink (removed by someone?); drawing it again' }
          : {}),
    });
  }
  return [...relates, ...unrelates];
}
