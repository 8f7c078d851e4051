import { ITEM_KINDS, type ItemKind } from '../inventory';
import { CreateOp } from './create-op';
import { carriesValues, LeanRecord, sameCopy } from './lean-record';
import { planRelations } from './reconcile-relations';
import { indexByIdentity, planRetirements } from './reconcile-retire';
import type { DesiredRecord, DriftNote, FieldChange, Plan, PlanOp, SinkRecord, SinkRelation } from './types';

/** What masync remembers of an item's record in a sink (from state). */
export interface PriorLink {
  source: string;
  kind: ItemKind;
  identity: string;
  recordId: string;
  /** Values masync last wrote or confirmed: the base that tells a person's edit from a source change. */
  applied: Record<string, string>;
}

export interface SinkInput {
  sink: string;
  /** Records the mapping wants, for items of the sources in this run that read successfully. */
  desired: readonly DesiredRecord[];
  /** Managed records read from the sink (with, on an incremental read, the unchanged ones as state remembers them). */
  actual: readonly SinkRecord[];
  relations: readonly SinkRelation[];
  links: ReadonlyMap<string, PriorLink>;
  identityOf(key: string): string;
  retiredFields: Readonly<Record<string, string>>;
  /** Keys masync itself sent a create for (the journal knows): extra records sharing their identity are its own duplicates. */
  createdByMasync: ReadonlySet<string>;
  /** Keys whose record masync made is missing from a full read (a person deleted it): recreated, with a reason. */
  missing: ReadonlySet<string>;
  /** Why the record read looks short: no create for a key state links, no retire, no unrelate. */
  suspect?: string;
  /** Why the relation read looks short: no relate of a relation state knows, no unrelate. */
  relationsSuspect?: string;
  /**
   * Relations state remembers drawing, as relation-triple ids (see `tripleId`), and their sink ids:
   * of two rows of one relation, the one state knows is kept.
   */
  knownRelations: { has(tripleId: string): boolean; ids(): ReadonlySet<string> };
  /** Relations an incremental read did not return, as state remembers them: not known to exist now. */
  rememberedRelationIds?: ReadonlySet<string>;
}

export interface ReconcileInput {
  sinks: readonly SinkInput[];
  /** Whether a record of this source's key may be retired: its source (and scope) read completely and not suspiciously short. */
  mayRetire(source: string, key: string): boolean;
  /** Sources this run covers; records of any other source are left alone. */
  inScope: ReadonlySet<string>;
  /** Which source produced a key, and its kind, from the key's shape; undefined when no source claims it. */
  attribute(key: string): { source: string; kind: ItemKind } | undefined;
  maxRetireFraction: number;
  /** The record as people name it ("fraud-detector v3"), for plan headlines. */
  titleOf(key: string): string | undefined;
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
    const { byIdentity, duplicates } = indexByIdentity(s, notes);
    const matched = new Map<string, Attributed>();
    matchedBySink.set(s.sink, matched);
    const creates: PlanOp[] = [];
    const updates: PlanOp[] = [];
    const withheld = new Set<string>();
    const desiredIdentities = new Set<string>();
    for (const d of sortRecords(s.desired)) {
      const identity = s.identityOf(d.key);
      desiredIdentities.add(identity);
      const record = byIdentity.get(identity);
      if (!record) {
        if (s.suspect && s.links.has(d.key)) {
          withheld.add(d.key);
          continue;
        }
        const reason = s.missing.has(d.key) ? `masync's record ${s.links.get(d.key)?.recordId ?? ''} is gone from the sink (deleted by someone?); recreating it` : undefined;
        creates.push(new CreateOp(s.sink, d, input.titleOf(d.key), reason));
        continue;
      }
      matched.set(d.key, { key: d.key, source: d.source, kind: d.kind, record });
      if (sameCopy(d, record)) {
        unchanged++;
        continue;
      }
      const diff = diffFields(s, d, record);
      append(drift, diff.drift);
      if (Object.keys(diff.changes).length === 0) unchanged++;
      else updates.push({ op: 'update', sink: s.sink, kind: d.kind, key: d.key, ...title(input, d.key), class: record.class, id: record.id, changes: diff.changes, ...(diff.edited.length ? { drift: diff.edited } : {}) });
    }
    if (withheld.size > 0) notes.push(`sink ${s.sink}: ${s.suspect}; ${withheld.size} record(s) masync made before are not recreated, and nothing is retired or unrelated`);
    if (s.relationsSuspect) notes.push(`sink ${s.sink}: ${s.relationsSuspect} (an ACL or filter hiding them?); none of them is drawn again, and no relation is removed`);

    const retires = planRetirements(s, input, byIdentity, desiredIdentities, matched, notes);
    const repairs = planDuplicateRepairs(s, input, duplicates, matched, notes);
    const relationOps = planRelations(s, matched, duplicates, withheld);

    // matched now holds every in-scope record: those the sources still want and those they dropped.
    let managedActive = 0;
    for (const m of matched.values()) if (!isRetired(m.record, s.retiredFields)) managedActive++;
    if (retires.length > 0 && retires.length > input.maxRetireFraction * managedActive) {
      blocked ??= `would retire ${retires.length} of ${managedActive} managed records in sink ${s.sink}, more than guard.maxRetireFraction (${Math.round(input.maxRetireFraction * 100)}%)`;
    }
    // Plans grow with the registry: append in loops, never spread a list into one call's arguments.
    for (const list of [creates, updates, relationOps, repairs, retires]) append(ops, list);
  }

  const count = (op: PlanOp['op']) => ops.reduce((n, o) => (o.op === op ? n + 1 : n), 0);
  const plan: Plan = {
    summary: { create: count('create'), update: count('update'), retire: count('retire'), relate: count('relate'), unrelate: count('unrelate'), unchanged },
    ops,
    drift,
    notes,
    held: [],
    findings: [],
    ...(blocked ? { blocked } : {}),
  };
  return { plan, matched: matchedBySink };
}

/**
 * Extra records sharing one identity that masync itself created (an insert
 * that landed after its answer was lost, then was sent again): the kept one
 * is the record state links, else the oldest; the others are retired, never
 * deleted, and their relations are moved to the kept one (planRelations).
 */
function planDuplicateRepairs(s: SinkInput, input: ReconcileInput, duplicates: ReadonlyMap<string, SinkRecord[]>, matched: ReadonlyMap<string, Attributed>, notes: string[]): PlanOp[] {
  const ops: PlanOp[] = [];
  const keptRecords = keptByIdentity(matched, duplicates);
  for (const [identity, extras] of [...duplicates].sort((a, b) => cmp(a[0], b[0]))) {
    const kept = keptRecords.get(identity);
    if (!kept) continue;
    if (!s.createdByMasync.has(kept.key)) {
      notes.push(`sink ${s.sink}: records ${[kept.record.id, ...extras.map((e) => e.id)].join(', ')} share identity ${identity}, but masync's journal has no create for it; masync keeps ${kept.record.id} and leaves the others alone`);
      continue;
    }
    if (s.suspect) continue;
    for (const extra of extras) {
      if (isRetired(extra, s.retiredFields)) continue;
      ops.push({
        op: 'retire',
        sink: s.sink,
        kind: kept.kind,
        key: kept.key,
        ...title(input, kept.key),
        class: extra.class,
        id: extra.id,
        changes: retireChanges(extra, s.retiredFields),
        reason: `duplicate of ${kept.record.id} that masync created (an insert landed after its answer was lost); retired, its relations moved to ${kept.record.id}`,
      });
    }
  }
  if (ops.length) notes.push(`sink ${s.sink}: ${ops.length} duplicate record(s) masync created are retired and their relations moved to the record it keeps`);
  return ops;
}

/** The record kept for each duplicated identity, found in one pass over the matches. */
export function keptByIdentity(matched: ReadonlyMap<string, Attributed>, duplicates: ReadonlyMap<string, SinkRecord[]>): Map<string, Attributed> {
  const out = new Map<string, Attributed>();
  if (duplicates.size === 0) return out;
  for (const m of matched.values()) if (duplicates.has(m.record.identity)) out.set(m.record.identity, m);
  return out;
}

/** Whether the op removes something masync made twice (a CI copy, a relation's second row, a relation on a copy): what it stands for stays. */
export function isDuplicateRepair(op: Pick<PlanOp, 'reason'>): boolean {
  return op.reason?.startsWith('duplicate') === true;
}

export function isRetired(record: SinkRecord, retiredFields: Readonly<Record<string, string>>): boolean {
  return record instanceof LeanRecord ? record.carries(retiredFields) : carriesValues(record.fields, retiredFields);
}

export function retireChanges(record: SinkRecord, retiredFields: Readonly<Record<string, string>>): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const [f, v] of Object.entries(retiredFields)) if (record.fields[f] !== v) changes[f] = { from: record.fields[f] ?? '', to: v };
  return changes;
}

function diffFields(s: SinkInput, d: DesiredRecord, record: SinkRecord) {
  const changes: Record<string, FieldChange> = {};
  const notes: DriftNote[] = [];
  const edited: string[] = [];
  for (const field of Object.keys(d.fields).sort()) {
    const want = d.fields[field] as string;
    const have = record.fields[field] ?? '';
    if (have === want) continue;
    const last = s.links.get(d.key)?.applied[field];
    // A person edited it when the sink no longer holds what masync last wrote there.
    const personEdited = last !== undefined && have !== last;
    if (personEdited && d.sinkAuthoritative.includes(field)) {
      notes.push({ sink: s.sink, key: d.key, field, sinkValue: have, sourceValue: want });
      continue;
    }
    changes[field] = { from: have, to: want, ...labels(record.labels?.[field], d.labels?.[field]) };
    if (personEdited) edited.push(field);
  }
  return { changes, drift: notes, edited };
}

function labels(from: string | undefined, to: string | undefined): Pick<FieldChange, 'fromLabel' | 'toLabel'> {
  return { ...(from !== undefined ? { fromLabel: from } : {}), ...(to !== undefined ? { toLabel: to } : {}) };
}

export function title(input: Pick<ReconcileInput, 'titleOf'>, key: string): { title?: string } {
  const t = input.titleOf(key);
  return t === undefined ? {} : { title: t };
}

function sortRecords(records: readonly DesiredRecord[]): DesiredRecord[] {
  return [...records].sort((a, b) => ITEM_KINDS.indexOf(a.kind) - ITEM_KINDS.indexOf(b.kind) || cmp(a.key, b.key));
}

/** Push every element of `items` onto `target` without spreading them into one call's arguments. */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const x of items) target.push(x);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
