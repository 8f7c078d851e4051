import { ITEM_KINDS } from '../inventory';
import { cmp, isRetired, retireChanges, title, type Attributed, type PriorLink, type ReconcileInput, type SinkInput } from './reconcile';
import type { PlanOp, SinkRecord } from './types';

/**
 * Managed records by identity. Where several share one identity, the one
 * kept is the record state links to the key, else the first active one by
 * id, else the first by id; the others are returned as duplicates.
 */
export function indexByIdentity(s: SinkInput, notes: string[]): { byIdentity: Map<string, SinkRecord>; duplicates: Map<string, SinkRecord[]> } {
  const byIdentity = new Map<string, SinkRecord>();
  // Identities held by more than one record: rare, so only they are sorted and weighed.
  const shared = new Map<string, SinkRecord[]>();
  for (const r of s.actual) {
    const first = byIdentity.get(r.identity);
    if (first === undefined) {
      byIdentity.set(r.identity, r);
      continue;
    }
    const group = shared.get(r.identity);
    if (group) group.push(r);
    else shared.set(r.identity, [first, r]);
  }
  const duplicates = new Map<string, SinkRecord[]>();
  if (shared.size === 0) return { byIdentity, duplicates };
  const linkedIds = new Set<string>();
  for (const l of s.links.values()) linkedIds.add(l.recordId);
  for (const [identity, records] of shared) {
    records.sort((a, b) => cmp(a.id, b.id));
    const kept = records.find((r) => linkedIds.has(r.id)) ?? records.find((r) => !isRetired(r, s.retiredFields)) ?? (records[0] as SinkRecord);
    byIdentity.set(identity, kept);
    const extras = records.filter((r) => r !== kept);
    // Copies already retired (an earlier repair) need nothing more.
    if (extras.some((r) => !isRetired(r, s.retiredFields))) duplicates.set(identity, extras);
  }
  if (duplicates.size > 0 && s.suspect) notes.push(`sink ${s.sink}: ${duplicates.size} identit(ies) have more than one record; repaired once the sink reads completely`);
  return { byIdentity, duplicates };
}

/**
 * Records whose item is gone from its source, of sources this run covers and
 * may retire from; each is retired (never deleted). Fills `matched` with every
 * in-scope record found, retired or not, for relations and links.
 */
export function planRetirements(
  s: SinkInput,
  input: ReconcileInput,
  byIdentity: ReadonlyMap<string, SinkRecord>,
  desiredIdentities: ReadonlySet<string>,
  matched: Map<string, Attributed>,
  notes: string[],
): PlanOp[] {
  const gone: Array<[string, SinkRecord]> = [];
  for (const entry of byIdentity) if (!desiredIdentities.has(entry[0])) gone.push(entry);
  // Of two keys linked to one identity, the last in key order names it.
  const linkByIdentity = new Map<string, [string, PriorLink]>();
  if (gone.length > 0) {
    const wanted = new Set(gone.map(([identity]) => identity));
    for (const [key, link] of s.links) {
      if (!wanted.has(link.identity)) continue;
      const had = linkByIdentity.get(link.identity);
      if (had === undefined || cmp(had[0], key) < 0) linkByIdentity.set(link.identity, [key, link]);
    }
  }
  const retires: PlanOp[] = [];
  let unattributed = 0;
  let held = 0;
  for (const [identity, record] of gone.sort((a, b) => cmp(a[0], b[0]))) {
    const linked = linkByIdentity.get(identity);
    const key = linked?.[0] ?? identity;
    const owner = linked ? { source: linked[1].source, kind: linked[1].kind } : input.attribute(identity);
    if (owner === undefined) {
      unattributed++;
      continue;
    }
    const { source, kind } = owner;
    if (!input.inScope.has(source)) continue;
    matched.set(key, { key, source, kind, record });
    if (isRetired(record, s.retiredFields)) continue;
    if (s.suspect || !input.mayRetire(source, key)) {
      held++;
      continue;
    }
    retires.push({ op: 'retire', sink: s.sink, kind, key, ...title(input, key), class: record.class, id: record.id, changes: retireChanges(record, s.retiredFields) });
  }
  if (unattributed > 0) notes.push(`sink ${s.sink}: ${unattributed} managed record(s) belong to no known source and no state link; masync leaves them alone`);
  if (held > 0) notes.push(`sink ${s.sink}: ${held} record(s) whose item is missing from its source are not retired this run (see why above)`);
  retires.sort((a, b) => ITEM_KINDS.indexOf(b.kind) - ITEM_KINDS.indexOf(a.kind) || cmp(a.key, b.key));
  return retires;
}
