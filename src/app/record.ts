import type { DesiredRecord, PlanOp } from '../engine/types';
import { canonicalJson } from '../inventory';
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
    if (!outcome.ok || op.op === 'relate' || op.op === 'unrelate') return;
    const entry = this.bySink.get(op.sink);
    if (!entry) return;
    const { state } = entry;
    const prior = state.links.get(op.key);
    const fields = Object.fromEntries(Object.entries(op.changes).map(([f, c]) => [f, c.to ?? '']));
    const link: Link = {
      sink: op.sink,
      key: op.key,
      source: entry.desired.get(op.key)?.source ?? prior?.source ?? '',
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
        const sink = s.handle.sink.name;
        const matched = this.planned.matched.get(sink);
        for (const d of s.desired) {
          const m = matched?.get(d.key);
          if (!m) continue; // created this run (its link was written then), or its create failed
          const prior = s.links.get(d.key);
          const link: Link = {
            sink,
            key: d.key,
            source: d.source,
            kind: d.kind,
            recordId: m.record.id,
            identity: m.record.identity,
            class: m.record.class,
            applied: confirmed(d.fields, m.record.fields, prior?.applied ?? {}),
          };
          if (!sameLink(prior, link)) upsertLink(this.db, link, at);
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
}

/**
 * The drift base for each field: the value the sink agreed on before the
 * apply, else the base already held, which onResult moved to what masync
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

/** Rewriting an unchanged link would only churn the state file on every run. */
function sameLink(a: Link | undefined, b: Link): boolean {
  return (
    a !== undefined &&
    a.retiredAt === undefined &&
    a.recordId === b.recordId &&
    a.identity === b.identity &&
    a.class === b.class &&
    a.source === b.source &&
    a.kind === b.kind &&
    canonicalJson(a.applied) === canonicalJson(b.applied)
  );
}
