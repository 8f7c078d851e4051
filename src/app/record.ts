import type { ApplyHooks, OpOutcome } from '../engine/apply';
import type { DesiredRecord, PlanOp, SinkRecord } from '../engine/types';
import type { Redactor } from '../http/redact';
import type { Db } from '../state/db';
import { readCursor, saveCursor } from '../state/cursors';
import { markGone, recordItems } from '../state/items';
import { appendJournal, completeJournal, pruneCreatePayloads, type JournalEntry } from '../state/journal';
import { appliedEquals, saveBases, saveLinks, type Link } from '../state/links';
import { packApplied } from '../state/applied';
import { canonicalJson } from '../inventory/hash';
import { dictionaryFor, trainDictionary } from '../state/dictionaries';
import { historyJson } from '../state/item-history';
import { forgetRelations, rememberRelations, type KnownRelation } from '../state/relations';
import { tripleId } from '../engine/reconcile-relations';
import { LeanDesired, LeanRecord } from '../engine/lean-record';
import { CreateOp } from '../engine/create-op';
import { isDuplicateRepair } from '../engine/reconcile';
import { recordSourceRun } from '../state/runs';
import { recordCosts } from '../state/costs';
import { recordFindings } from '../state/findings';
import { recordObservations } from '../state/observations';
import type { PlannedRun, SinkState } from './compute-plan';
import type { RunEnv } from './run-env';

/**
 * State bookkeeping around an apply: each batch of writes is journalled and
 * its links updated in one transaction the moment it completes (so a crash
 * loses nothing that landed), and after the apply every matched record's
 * link, the items, the source baselines and the read cursors are recorded.
 */
export class RunRecorder implements ApplyHooks {
  private readonly bySink: Map<string, { state: SinkState; desired: Map<string, DesiredRecord> }>;
  /** Keys written this run per sink: their links were set as the writes landed. */
  private readonly written = new Map<string, Set<string>>();
  /** Findings opened and cleared, and when items were recorded: the change summary's inputs. */
  findingCounts = { raised: 0, cleared: 0 };
  recordedAt?: string;
  /** Relations drawn this run (`sink \0 triple`): a full read taken before them cannot have seen them. */
  private readonly drawnNow = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly redactor: Redactor,
    private readonly env: RunEnv,
    private readonly run: { id: string; seq: number },
    private readonly planned: PlannedRun,
    private readonly now: () => string,
    private readonly keepCreatePayloadDays: number,
  ) {
    this.bySink = new Map(planned.sinks.map((s) => [s.handle.sink.name, { state: s, desired: new Map(s.desired.map((d) => [d.key, d])) }]));
    trainDictionaries(db, planned);
    env.keys.storeAll(keysWritten(planned.plan.ops));
  }

  /** Inserts are journalled as `sent` before they go: if the process dies waiting, the next run knows to look for them. */
  onSend(ops: ReadonlyArray<PlanOp>): void {
    const at = this.now();
    const ids = appendJournal(
      this.db,
      this.env.keys,
      ops.map((op) => this.entry(op, { result: 'sent' }, at)),
    );
    ops.forEach((op, i) => this.sentRows.set(op, ids[i] as number));
  }

  onResults(results: ReadonlyArray<{ op: PlanOp; outcome: OpOutcome }>): void {
    const at = this.now();
    const entries: JournalEntry[] = [];
    const completed: Array<{ id: number; entry: Pick<JournalEntry, 'recordId' | 'result' | 'error' | 'at'> }> = [];
    const links: Link[] = [];
    const drawn: KnownRelation[] = [];
    const removed: Array<Omit<KnownRelation, 'relationId'>> = [];
    this.db.transaction(() => {
      for (const { op, outcome } of results) {
        const sent = this.sentRows.get(op);
        this.sentRows.delete(op);
        if (sent === undefined) entries.push(this.entry(op, outcome, at));
        else completed.push({ id: sent, entry: this.outcomeOf(op, outcome, at) });
        if (outcome.result !== 'ok') continue;
        const entry = this.bySink.get(op.sink);
        if (!entry) continue;
        if (op.relation) {
          const rel = { type: op.relation.type, parent: op.relation.parent, child: op.relation.child };
          if (op.op === 'relate') {
            drawn.push({ ...rel, relationId: outcome.id });
            this.drawnNow.add(`${op.sink}\u0000${tripleId(rel.type, rel.parent, rel.child)}`);
            continue;
          }
          this.removedNow.add(outcome.id);
          // A copy removed leaves the relation itself in place: state must go on knowing it.
          if (!isDuplicateRepair(op)) removed.push(rel);
          continue;
        }
        // A duplicate copy being retired is not the key's record; its link stays on the kept one.
        if (isDuplicateRepair(op)) continue;
        links.push(this.linkAfter(entry, op, outcome.id, at));
        const keys = this.written.get(op.sink) ?? new Set<string>();
        this.written.set(op.sink, keys.add(op.key));
      }
      appendJournal(this.db, this.env.keys, entries);
      completeJournal(this.db, completed);
      this.save(links, at);
      // A batch is one sink's writes.
      const sink = results[0]?.op.sink;
      if (sink && drawn.length) rememberRelations(this.db, this.env.keys, sink, drawn, at);
      if (sink && removed.length) forgetRelations(this.db, this.env.keys, sink, removed);
    })();
  }

  /**
   * After the apply: confirm links of matched records, remember items and
   * baselines, move read cursors, keep connector caches, prune old payloads.
   * `reads` is false when the run stopped before reading completed.
   */
  finish(): void {
    const at = this.now();
    this.env.trainCaches();
    this.db.transaction(() => {
      for (const s of this.planned.sinks) {
        this.confirmLinks(s, at);
        this.confirmRelations(s, at);
      }
      for (const r of this.planned.reads) {
        const baseline = this.planned.policy.baselines.get(r.source);
        recordSourceRun(this.db, {
          runId: this.run.id,
          source: r.source,
          status: r.ok ? 'ok' : 'failed',
          itemCount: r.items.length,
          trusted: baseline?.trusted ?? false,
          scopes: baseline?.scopes ?? {},
          error: r.error && this.redactor.redact(r.error),
        });
        if (r.ok) saveCursor(this.db, r.source, { fullAt: this.env.isFull(r.source) ? at : readCursor(this.db, r.source).fullAt });
      }
      const ok = this.planned.reads.filter((r) => r.ok);
      recordItems(this.db, this.env.keys, this.planned.items, at);
      this.recordedAt = at;
      const seen = new Set(this.planned.items.map((i) => i.key));
      const gone = markGone(this.db, this.env.keys, ok.map((r) => r.source), seen, this.planned.policy.mayRetire, at);
      for (const s of this.planned.sinks) {
        const name = s.handle.sink.name;
        saveCursor(this.db, name, { cursor: s.read.cursor, fullAt: s.read.mode === 'full' ? at : readCursor(this.db, name).fullAt });
      }
      // An enricher's cached facts (Cost Explorer's settled days) are reused between its full reads too.
      for (const name of this.planned.enrichment.enrichedFully) if (this.env.isFull(name)) saveCursor(this.db, name, { fullAt: at });
      this.recordEnrichment(at, gone);
      this.env.flushCaches();
      pruneCreatePayloads(this.db, new Date(Date.parse(at) - this.keepCreatePayloadDays * 86_400_000).toISOString());
    })();
  }

  /** Findings opened and cleared, each item's cost of the day, and the observation intervals. */
  private recordEnrichment(at: string, gone: ReadonlySet<string>): void {
    const e = this.planned.enrichment;
    // Judged before the apply; recording the later finish time would move first_seen, and with it the mapped field, once.
    this.findingCounts = recordFindings(this.db, this.env.keys, e.raised, e.evaluated, e.judgedAt, gone);
    const costs = this.planned.items.flatMap((i) => (i.cost ? [{ key: i.key, cost: i.cost }] : []));
    recordCosts(this.db, this.env.keys, costs, e.centers, at.slice(0, 10));
    recordObservations(this.db, this.env.keys, e.observations, this.planned.mayGo, this.run.seq, at);
  }

  /** A write's journal entry, its payload redacted once (a create's is exactly the values it writes, packed once with its link's). */
  private entry(op: PlanOp, outcome: OpOutcome | { result: 'sent' }, at: string): JournalEntry {
    const rel = op.relation;
    const base = { run: this.run.seq, sink: op.sink, op: op.op, kind: op.kind, key: op.key, otherKey: rel ? (rel.parent === op.key ? rel.child : rel.parent) : undefined };
    if (rel) return { ...base, ...this.outcomeOf(op, outcome, at), changes: this.redactor.redactValue({ type: rel.type, holder: rel.holder }) };
    if (op.op !== 'create') return { ...base, ...this.outcomeOf(op, outcome, at), changes: this.redactor.redactValue(op.changes) };
    const values = this.redactor.redactValue(valuesOf(op));
    const labels = op instanceof CreateOp ? (op.labels ?? {}) : labelsOf(op);
    return { ...base, ...this.outcomeOf(op, outcome, at), changes: undefined, packed: packApplied(values, dictionaryFor(this.db, 'applied')), labels: this.redactor.redactValue(labels) };
  }

  private outcomeOf(op: PlanOp, outcome: OpOutcome | { result: 'sent' }, at: string): Pick<JournalEntry, 'recordId' | 'result' | 'error' | 'at'> {
    return {
      recordId: outcome.result === 'ok' ? outcome.id : op.id,
      result: outcome.result,
      error: outcome.result === 'ok' || outcome.result === 'sent' ? undefined : this.redactor.redact(outcome.error),
      at,
    };
  }

  private linkAfter(entry: { state: SinkState; desired: Map<string, DesiredRecord> }, op: PlanOp, recordId: string, at: string): Link {
    const { state } = entry;
    const prior = state.links.get(op.key);
    const fields = valuesOf(op);
    const link: Link = {
      sink: op.sink,
      key: op.key,
      source: entry.desired.get(op.key)?.source ?? prior?.source ?? '',
      kind: op.kind,
      recordId,
      identity: state.handle.sink.identity.of(op.key),
      class: op.class ?? prior?.class ?? '',
      // A first record's values are its create's payload: one object, packed once for both.
      applied: prior ? { ...prior.applied, ...fields } : fields,
      retiredAt: op.op === 'retire' ? at : undefined,
    };
    link.basis = basisFor(link, entry.desired.get(op.key));
    state.links.set(op.key, link);
    return link;
  }

  /** Links of matched records that changed: a new record id, or values the sink now agrees on. */
  private confirmLinks(s: SinkState, at: string): void {
    const sink = s.handle.sink.name;
    const matched = this.planned.matched.get(sink);
    const written = this.written.get(sink);
    const changed: Link[] = [];
    const rebased: Array<{ key: string; basis: string | undefined }> = [];
    for (const d of s.desired) {
      const m = matched?.get(d.key);
      if (!m) continue; // created this run (its link was written then), or its create failed
      const prior = s.links.get(d.key);
      if (prior && !written?.has(d.key) && asLinked(d, m.record, prior)) {
        // Mapped anew to the values it holds: the link stays, and now names what they were mapped from.
        if (d.basis !== prior.basis) rebased.push({ key: d.key, basis: d.basis });
        continue;
      }
      const applied = confirmed(d.fields, m.record.fields, prior?.applied ?? {});
      const link: Link = { sink, key: d.key, source: d.source, kind: d.kind, recordId: m.record.id, identity: m.record.identity, class: m.record.class, applied };
      link.basis = basisFor(link, d);
      if (
        !prior ||
        prior.retiredAt !== undefined ||
        prior.recordId !== link.recordId ||
        prior.identity !== link.identity ||
        prior.class !== link.class ||
        prior.source !== link.source ||
        prior.basis !== link.basis ||
        !appliedEquals(prior, applied)
      ) {
        changed.push(link);
      }
    }
    this.save(changed, at);
    saveBases(this.db, this.env.keys, sink, rebased);
  }

  /**
   * After a complete, trusted full read, state's memory of the relations masync
   * drew is set to what the sink holds between masync's records (relations
   * drawn before state remembered them are learned; removed ones forgotten).
   */
  private confirmRelations(s: SinkState, at: string): void {
    if (s.read.mode !== 'full' || s.read.suspect || s.read.relationsSuspect) return;
    const sink = s.handle.sink.name;
    const keyOf = new Map<string, string>();
    for (const m of this.planned.matched.get(sink)?.values() ?? []) keyOf.set(m.record.id, m.key);
    const types = new Set<string>();
    for (const d of s.desired) for (const r of d.relations) types.add(r.type);
    // Triple → the relation id state should hold (of two rows of one relation, the later read, as before).
    const present = new Map<string, KnownRelation>();
    for (const r of s.read.relations) {
      if (this.removedNow.has(r.id)) continue;
      const parent = keyOf.get(r.parentId);
      const child = keyOf.get(r.childId);
      if (!parent || !child || !types.has(r.type)) continue;
      const id = tripleId(r.type, parent, child);
      present.delete(id);
      present.set(id, { type: r.type, parent, child, relationId: r.id });
    }
    const learned: KnownRelation[] = [];
    for (const [id, r] of present) if (s.read.knownRelations.byTriple().get(id) !== r.relationId) learned.push(r);
    rememberRelations(this.db, this.env.keys, sink, learned, at);
    const drawn = new Set<string>();
    for (const id of s.read.knownRelations.byTriple().keys()) if (!present.has(id)) drawn.add(id);
    const gone = [...drawn].map((id) => JSON.parse(id) as [string, string, string]).filter(([type, parent, child]) => !this.drewNow(sink, type, parent, child));
    forgetRelations(this.db, this.env.keys, sink, gone.map(([type, parent, child]) => ({ type, parent, child })));
  }

  /** Journal rows of inserts sent and not yet answered. */
  private readonly sentRows = new Map<PlanOp, number>();
  /** Relation rows this run removed: the read before the apply still lists them. */
  private readonly removedNow = new Set<string>();

  private drewNow(sink: string, type: string, parent: string, child: string): boolean {
    return this.drawnNow.has(`${sink}\u0000${tripleId(type, parent, child)}`);
  }

  private save(links: readonly Link[], _at: string): void {
    if (links.length === 0) return;
    const sink = links[0]?.sink;
    const handle = this.planned.sinks.find((s) => s.handle.sink.name === sink)?.handle.sink;
    saveLinks(this.db, this.env.keys, links, this.now(), (k) => handle?.identity.of(k) ?? k);
  }
}

/** What each resolved value a write sets was resolved from, as its changes name them. */
function labelsOf(op: PlanOp): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [field, c] of Object.entries(op.changes)) if (c.toLabel !== undefined) labels[field] = c.toLabel;
  return labels;
}

const values = new WeakMap<PlanOp, Record<string, string>>();

/** The values a write sets (field → new value), made once per planned op (a create holds them already). */
function valuesOf(op: PlanOp): Record<string, string> {
  if (op instanceof CreateOp) return op.values;
  let v = values.get(op);
  if (!v) {
    v = {};
    for (const [field, c] of Object.entries(op.changes)) v[field] = c.to ?? '';
    values.set(op, v);
  }
  return v;
}

/** The basis of the desired record, when the link holds exactly its values (a field left to a person's edit does not). */
function basisFor(link: Link, desired: DesiredRecord | undefined): string | undefined {
  if (desired?.basis === undefined || link.retiredAt !== undefined) return undefined;
  return appliedEquals(link, desired.fields) ? desired.basis : undefined;
}

/** Every key a write of the plan journals or links: its own, and both ends of a relation. */
function* keysWritten(ops: readonly PlanOp[]): Iterable<string> {
  for (const op of ops) {
    yield op.key;
    if (op.relation) {
      yield op.relation.parent;
      yield op.relation.child;
    }
  }
}

/**
 * Before the first writes, outside any transaction: a state file without
 * dictionaries gets them from this run's records and items, so its first
 * sync is stored as compactly as the ones after it.
 */
function trainDictionaries(db: Db, planned: PlannedRun): void {
  const spread = <T>(list: readonly T[], n: number) => list.filter((_, i) => i % Math.max(1, Math.floor(list.length / n)) === 0).slice(0, n);
  if (!dictionaryFor(db, 'applied')) {
    const desired = planned.sinks.flatMap((s) => spread(s.desired, 128));
    trainDictionary(db, 'applied', desired.map((d) => canonicalJson(d.fields)));
  }
  if (!dictionaryFor(db, 'item')) {
    const items = planned.items.filter((i) => i.kind !== 'deployment');
    trainDictionary(db, 'item', spread(items, 128).map(historyJson));
  }
}

/**
 * Whether confirming this matched record would change nothing in its link,
 * known without reading values: the desired values are exactly the link's
 * (a lean copy of it), so for every field the base stays what it is whatever
 * the record holds; and the record is the one the link names, or one an
 * incremental read did not return, which the link stands for. (A link
 * written this run is not the one the desired record was compared with.)
 */
function asLinked(d: DesiredRecord, record: SinkRecord, prior: Link): boolean {
  if (!(d instanceof LeanDesired) || d.copyOf !== prior || prior.retiredAt !== undefined) return false;
  if (record instanceof LeanRecord && record.remembered && record.copyOf === prior) return true;
  return prior.recordId === record.id && prior.identity === record.identity && prior.class === record.class && prior.source === d.source;
}

/**
 * The drift base for each field: the value the sink agreed on before the
 * apply, else the base already held, which onResults moved to what masync
 * wrote. A field a person changed and masync left alone (or failed to write)
 * keeps its old base, so it is still recognised as their edit next time.
 */
function confirmed(want: Record<string, string>, before: Record<string, string>, base: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(want)) {
    if (before[field] === value) out[field] = value;
    else if (base[field] !== undefined) out[field] = base[field];
  }
  return out;
}
