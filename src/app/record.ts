import type { DesiredRecord, PlanOp } from '../engine/types';
import type { Redactor } from '../http/redact';
import type { Db } from '../state/db';
import { markMissingRetired, upsertItems } from '../state/items';
import { appendJournal } from '../state/journal';
import { upsertLink, type Link } from '../state/links';
import { recordSourceRun } from '../state/runs';
import type { PlannedRun, SinkState } from './compute-plan';

/**
 * State bookkeeping around an apply: each write is journalled and its link
 * updated the moment it completes (so a crash loses nothing that landed),
 * and after the apply every matched record's link is confirmed.
 */
export class RunRecorder {
  /** Field names written per sink and key this run. */
  private readonly written = new Map<string, Set<string>>();
  private readonly failed = new Set<string>();
  /** Sink state and desired records by sink name and key: onResult runs once per write. */
  private readonly bySink: Map<string, { state: SinkState; desired: Map<string, DesiredRecord> }>;

  constructor(
    private readonly db: Db,
    private readonly redactor: Redactor,
    private readonly runId: string,
    private readonly planned: PlannedRun,
    private readonly now: () => string,
  ) {
    this.bySink = new Map(planned.sinks.map((s) => [s.handle.sink.name, { state: s, desired: new Map(s.desired.map((d) => [d.key, d])) }]));
  }

  onResult(op: PlanOp, outcome: { ok: true; id: string } | { ok: false; error: string }): void {
    const at = this.now();
    appendJournal(this.db, {
      runId: this.runId,
      sink: op.sink,
      op: op.op,
      kind: op.kind,
      key: op.key,
      recordId: outcome.ok ? outcome.id : op.id,
      changes: this.redactor.redactValue(op.relation ? { relation: op.relation } : op.changes),
      result: outcome.ok ? 'ok' : 'error',
      error: outcome.ok ? undefined : this.redactor.redact(outcome.error),
      at,
    });
    const id = `${op.sink}\u0000${op.key}`;
    if (!outcome.ok) {
      this.failed.add(id);
      return;
    }
    if (op.op === 'relate' || op.op === 'unrelate') return;
    const written = this.written.get(id) ?? new Set<string>();
    for (const f of Object.keys(op.changes)) written.add(f);
    this.written.set(id, written);
    const entry = this.bySink.get(op.sink);
    if (!entry) return;
    const { state } = entry;
    const prior = state.links.get(op.key);
    const desired = entry.desired.get(op.key);
    const fields = Object.fromEntries(Object.entries(op.changes).map(([f, c]) => [f, c.to ?? '']));
    const link: Link = {
      sink: op.sink,
      key: op.key,
      source: desired?.source ?? prior?.source ?? '',
      kind: op.kind,
      recordId: outcome.id,
      identity: state.handle.sink.identity.of(op.key),
      class: op.class ?? prior?.class ?? '',
      applied: { ...prior?.applied, ...fields },
      retiredAt: op.op === 'retire' ? at : undefined,
    };
    upsertLink(this.db, link, at);
    state.links.set(op.key, link);
  }

  /** After the apply: confirm links of matched records, remember items, close out sources. */
  finish(): void {
    const at = this.now();
    this.db.transaction(() => {
      for (const s of this.planned.sinks) {
        const byIdentity = new Map(s.actual.map((r) => [r.identity, r]));
        for (const d of s.desired) {
          if (this.failed.has(`${s.handle.sink.name}\u0000${d.key}`)) continue;
          const identity = s.handle.sink.identity.of(d.key);
          const record = byIdentity.get(identity);
          if (!record) continue; // created this run: its link was written on create
          const prior = s.links.get(d.key);
          upsertLink(
            this.db,
            {
              sink: s.handle.sink.name,
              key: d.key,
              source: d.source,
              kind: d.kind,
              recordId: record.id,
              identity,
              class: record.class,
              applied: this.confirmed(s.handle.sink.name, d, record.fields, prior?.applied ?? {}),
              retiredAt: undefined,
            },
            at,
          );
        }
      }
      for (const r of this.planned.reads) {
        recordSourceRun(this.db, { runId: this.runId, source: r.source, status: r.ok ? 'ok' : 'failed', itemCount: r.items.length, error: r.error && this.redactor.redact(r.error) });
      }
      const ok = this.planned.reads.filter((r) => r.ok);
      upsertItems(this.db, ok.flatMap((r) => r.items), at);
      const seen = new Set(ok.flatMap((r) => r.items.map((i) => i.key)));
      markMissingRetired(this.db, [...this.planned.retirable], seen, at);
    })();
  }

  /**
   * The drift base for each field: what masync just wrote, or the value the
   * sink already agreed on; a field a person changed and masync left alone
   * keeps its old base, so it is still recognised as their edit next time.
   */
  private confirmed(sink: string, d: DesiredRecord, actual: Record<string, string>, prior: Record<string, string>): Record<string, string> {
    const written = this.written.get(`${sink}\u0000${d.key}`) ?? new Set<string>();
    const out: Record<string, string> = {};
    for (const [field, want] of Object.entries(d.fields)) {
      if (written.has(field) || actual[field] === want) out[field] = want;
      else if (prior[field] !== undefined) out[field] = prior[field];
    }
    return out;
  }
}
