import { ITEM_KINDS, type ItemKind } from '../inventory';
import { planRelations } from './reconcile-relations';
import type { DesiredRecord, DriftNote, FieldChange, Plan, PlanOp, SinkRecord, SinkRelation } from './types';

/** What masync remembers of an item's record in a sink (from state). */
export interface PriorLink {
  source: string;
  kind: ItemKind;
  identity: string;
  /** Values masync last wrote or confirmed: the base that tells a person's edit from a source change. */
  applied: Record<string, string>;
}

export interface SinkInput {
  sink: string;
  /** Records the mapping wants, for items of the sources in this run that read successfully. */
  desired: readonly DesiredRecord[];
  /** Managed records read from the sink. */
  actual: readonly SinkRecord[];
  relations: readonly SinkRelation[];
  links: ReadonlyMap<string, PriorLink>;
  identityOf(key: string): string;
  retiredFields: Readonly<Record<string, string>>;
}

export interface ReconcileInput {
  sinks: readonly SinkInput[];
  /** Sources whose vanished items may be retired (read OK, not suspiciously small). */
  retirable: ReadonlySet<string>;
  /** Sources this run covers; records of any other source are left alone. */
  inScope: ReadonlySet<string>;
  /** Which source produced a key, and its kind, from the key's shape; undefined when no source claims it. */
  attribute(key: string): { source: string; kind: ItemKind } | undefined;
  maxRetireFraction: number;
}

/** A sink record whose item is known: matched to a desired record, or attributed to a source. */
export interface Attributed {
  key: string;
  source: string;
  kind: ItemKind;
  record: SinkRecord;
}

export interface Reconciled {
  plan: Plan;
  /**
   * Per sink, item key → the record it was matched to: everything in scope, wanted or dropped.
   * The applier resolves relation ends with it and the recorder confirms links with it,
   * so neither matches records a second time.
   */
  matched: Map<string, Map<string, Attributed>>;
}

/**
 * The pure diff: desired records vs what the sinks hold, with prior state.
 * No I/O, no clock, no randomness; the same input gives the same plan.
 */
export function reconcile(input: ReconcileInput): Reconciled {
  const ops: PlanOp[] = [];
  const matchedBySink = new Map<string, Map<string, Attributed>>();
  const drift: DriftNote[] = [];
  const notes: string[] = [];
  let unchanged = 0;
  let blocked: string | undefined;

  for (const s of [...input.sinks].sort((a, b) => cmp(a.sink, b.sink))) {
    const byIdentity = indexByIdentity(s, notes);
    const matched = new Map<string, Attributed>();
    matchedBySink.set(s.sink, matched);
    const creates: PlanOp[] = [];
    const updates: PlanOp[] = [];
    for (const d of sortRecords(s.desired)) {
      const record = byIdentity.get(s.identityOf(d.key));
      if (!record) {
        creates.push({ op: 'create', sink: s.sink, kind: d.kind, key: d.key, class: d.class, changes: allFields(d.fields) });
        continue;
      }
      matched.set(d.key, { key: d.key, source: d.source, kind: d.kind, record });
      const diff = diffFields(s, d, record);
      drift.push(...diff.drift);
      if (Object.keys(diff.changes).length === 0) unchanged++;
      else updates.push({ op: 'update', sink: s.sink, kind: d.kind, key: d.key, class: record.class, id: record.id, changes: diff.changes, ...(diff.edited.length ? { drift: diff.edited } : {}) });
    }

    const desiredIdentities = new Set(s.desired.map((d) => s.identityOf(d.key)));
    const retires = planRetirements(s, input, byIdentity, desiredIdentities, matched, notes);
    const relationOps = planRelations(s, matched);

    // matched now holds every in-scope record: those the sources still want and those they dropped.
    const managedActive = [...matched.values()].filter((m) => !isRetired(m.record, s.retiredFields)).length;
    if (retires.length > 0 && retires.length > input.maxRetireFraction * managedActive) {
      blocked ??= `would retire ${retires.length} of ${managedActive} managed records in sink ${s.sink} (more than ${Math.round(input.maxRetireFraction * 100)}%); re-run with --allow-mass-retire if that is intended`;
    }
    ops.push(...creates, ...updates, ...relationOps, ...retires);
  }

  const count = (op: PlanOp['op']) => ops.filter((o) => o.op === op).length;
  const plan: Plan = {
    summary: { create: count('create'), update: count('update'), retire: count('retire'), relate: count('relate'), unrelate: count('unrelate'), unchanged },
    ops,
    drift,
    notes,
    ...(blocked ? { blocked } : {}),
  };
  return { plan, matched: matchedBySink };
}

export function isRetired(record: SinkRecord, retiredFields: Readonly<Record<string, string>>): boolean {
  return Object.entries(retiredFields).every(([f, v]) => record.fields[f] === v);
}

function indexByIdentity(s: SinkInput, notes: string[]): Map<string, SinkRecord> {
  const out = new Map<string, SinkRecord>();
  for (const r of [...s.actual].sort((a, b) => cmp(a.id, b.id))) {
    const prev = out.get(r.identity);
    if (prev) {
      notes.push(`sink ${s.sink}: records ${prev.id} and ${r.id} share identity ${r.identity}; masync keeps ${prev.id} and leaves ${r.id} alone`);
      continue;
    }
    out.set(r.identity, r);
  }
  return out;
}

function diffFields(s: SinkInput, d: DesiredRecord, record: SinkRecord) {
  const changes: Record<string, FieldChange> = {};
  const notes: DriftNote[] = [];
  const edited: string[] = [];
  const base = s.links.get(d.key)?.applied ?? {};
  for (const field of Object.keys(d.fields).sort()) {
    const want = d.fields[field] as string;
    const have = record.fields[field] ?? '';
    if (have === want) continue;
    const last = base[field];
    // A person edited it when the sink no longer holds what masync last wrote there.
    const personEdited = last !== undefined && have !== last;
    if (personEdited && d.sinkAuthoritative.includes(field)) {
      notes.push({ sink: s.sink, key: d.key, field, sinkValue: have, sourceValue: want });
      continue;
    }
    changes[field] = { from: have, to: want };
    if (personEdited) edited.push(field);
  }
  return { changes, drift: notes, edited };
}

function planRetirements(
  s: SinkInput,
  input: ReconcileInput,
  byIdentity: ReadonlyMap<string, SinkRecord>,
  desiredIdentities: ReadonlySet<string>,
  matched: Map<string, Attributed>,
  notes: string[],
): PlanOp[] {
  const linkByIdentity = new Map<string, [string, PriorLink]>();
  for (const [key, link] of [...s.links].sort((a, b) => cmp(a[0], b[0]))) linkByIdentity.set(link.identity, [key, link]);
  const retires: PlanOp[] = [];
  let unattributed = 0;
  for (const [identity, record] of [...byIdentity].sort((a, b) => cmp(a[0], b[0]))) {
    if (desiredIdentities.has(identity)) continue;
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
    if (isRetired(record, s.retiredFields) || !input.retirable.has(source)) continue;
    const changes: Record<string, FieldChange> = {};
    for (const [f, v] of Object.entries(s.retiredFields)) if (record.fields[f] !== v) changes[f] = { from: record.fields[f] ?? '', to: v };
    retires.push({ op: 'retire', sink: s.sink, kind, key, class: record.class, id: record.id, changes });
  }
  if (unattributed > 0) notes.push(`sink ${s.sink}: ${unattributed} managed record(s) belong to no known source and no state link; masync leaves them alone`);
  retires.sort((a, b) => ITEM_KINDS.indexOf(b.kind) - ITEM_KINDS.indexOf(a.kind) || cmp(a.key, b.key));
  return retires;
}

function sortRecords(records: readonly DesiredRecord[]): DesiredRecord[] {
  return [...records].sort((a, b) => ITEM_KINDS.indexOf(a.kind) - ITEM_KINDS.indexOf(b.kind) || cmp(a.key, b.key));
}

function allFields(fields: Record<string, string>): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const f of Object.keys(fields).sort()) out[f] = { from: null, to: fields[f] as string };
  return out;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
