import { ITEM_KINDS } from '../inventory';
import type { PlanOp, Sink } from './types';

export interface Phases {
  /** Ops grouped into phases that must finish before the next starts; carried relates are in none. */
  phases: PlanOp[][];
  /** Per create: the relates it carries as reference values (they are applied with it, not on their own). */
  carried: ReadonlyMap<PlanOp, readonly PlanOp[]>;
}

/** The order ops take within a phase, so batches fill with creates first (models, then versions, then deployments) and retirements last. */
const ORDER: ReadonlyArray<(o: PlanOp) => boolean> = [
  ...ITEM_KINDS.map((kind) => (o: PlanOp) => o.op === 'create' && o.kind === kind),
  (o) => o.op === 'update',
  (o) => o.op === 'relate',
  (o) => o.op === 'unrelate',
  ...[...ITEM_KINDS].reverse().map((kind) => (o: PlanOp) => o.op === 'retire' && o.kind === kind),
];

/**
 * Each phase is a round trip (or a few, by batch and concurrency) on the
 * apply's critical path, so a write waits for another only when it needs its
 * result. Updates and retirements need no other record's id, so they go
 * first, at once, with every create that carries no reference to a record
 * created in this run. Then, per sink, by how it stores relations:
 * - rows (ServiceNow cmdb_rel_ci): a relation is a row of its own, so it goes
 *   in the first phase too, unless an end is created in this run (it needs
 *   that id): those follow in a second.
 * - references (Jira Assets): a relation is a value of its holder's
 *   reference attribute. When the holder is created in this run and the
 *   other end's id is known before that create is sent (the other end
 *   existed, or is created in an earlier phase), the create carries it: one
 *   write instead of two. Such a create follows the creates of what it
 *   points at. Every other relation waits for all of the sink's record
 *   writes, since it is an edit of its holder (two writes to one object at
 *   once could undo one another).
 */
export function phasesOf(ops: readonly PlanOp[], sinks: ReadonlyMap<string, Sink>, ids: ReadonlyMap<string, ReadonlyMap<string, string>>): Phases {
  const at = (sink: string, key: string) => `${sink}\u0000${key}`;
  const creates = new Map<string, PlanOp>();
  for (const o of ops) if (o.op === 'create') creates.set(at(o.sink, o.key), o);
  const wants = new Map<PlanOp, PlanOp[]>();
  for (const o of ops) {
    if (o.op !== 'relate' || !o.relation || sinks.get(o.sink)?.relationStorage !== 'references') continue;
    const { holder, other } = endsOf(o);
    const create = creates.get(at(o.sink, holder));
    if (!create || holder === other) continue;
    if (!creates.has(at(o.sink, other)) && !ids.get(o.sink)?.has(other)) continue;
    const list = wants.get(create);
    if (list) list.push(o);
    else wants.set(create, [o]);
  }

  const depth = new Map<PlanOp, number>();
  const carried = new Map<PlanOp, PlanOp[]>();
  const visiting = new Set<PlanOp>();
  const depthOf = (create: PlanOp): number => {
    const known = depth.get(create);
    if (known !== undefined) return known;
    visiting.add(create);
    let d = 0;
    const kept: PlanOp[] = [];
    for (const rel of wants.get(create) ?? []) {
      const target = creates.get(at(create.sink, endsOf(rel).other));
      // Two new records pointing at each other: one of the two references is drawn on its own, after both exist.
      if (target && visiting.has(target)) continue;
      if (target) d = Math.max(d, depthOf(target) + 1);
      kept.push(rel);
    }
    visiting.delete(create);
    depth.set(create, d);
    if (kept.length > 0) carried.set(create, kept);
    return d;
  };
  const lastCreatePhase = new Map<string, number>();
  for (const c of creates.values()) lastCreatePhase.set(c.sink, Math.max(lastCreatePhase.get(c.sink) ?? 0, depthOf(c)));
  const folded = new Set<PlanOp>([...carried.values()].flat());

  const phaseOf = (o: PlanOp): number => {
    if (o.op === 'create') return depth.get(o) ?? 0;
    if (o.op !== 'relate' && o.op !== 'unrelate') return 0;
    if (sinks.get(o.sink)?.relationStorage === 'references') return (lastCreatePhase.get(o.sink) ?? 0) + 1;
    const rel = o.relation;
    return o.op === 'relate' && rel && [rel.parent, rel.child].some((k) => creates.has(at(o.sink, k))) ? 1 : 0;
  };
  const phases: PlanOp[][] = [];
  for (const matches of ORDER) {
    for (const o of ops) {
      if (!matches(o) || folded.has(o)) continue;
      const p = phaseOf(o);
      while (phases.length <= p) phases.push([]);
      phases[p]?.push(o);
    }
  }
  return { phases: phases.filter((p) => p.length > 0), carried };
}

/** The key of a relation's holder, and of the record it points at. */
export function endsOf(op: PlanOp): { holder: string; other: string } {
  const rel = op.relation;
  if (!rel) throw new Error(`plan op lacks relation`);
  return rel.holder === 'child' ? { holder: rel.child, other: rel.parent } : { holder: rel.parent, other: rel.child };
}
