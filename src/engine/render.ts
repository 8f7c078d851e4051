import type { FieldChange, Plan, PlanOp, PlanSummary } from './types';

export interface RenderOptions {
  color: boolean;
  /** Show field values under each op (default); off prints one line per op. */
  fields?: boolean;
}

/** The JSON contracts' version; bumped when a field changes meaning or goes away (adding one does not). */
export const JSON_FORMAT_VERSION = 2;

const SYMBOL: Record<PlanOp['op'], string> = { create: '+', update: '~', retire: '-', relate: '+', unrelate: '-' };
const COLOR: Record<PlanOp['op'], string> = { create: '32', update: '33', retire: '31', relate: '32', unrelate: '31' };

/** The plan as a person reads it: terraform's `+ create`, `~ update a: x → y`, `- retire`, then a summary line. */
export function renderPlan(plan: Plan, opts: RenderOptions): string {
  const paint = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  let sink: string | undefined;
  for (const op of plan.ops) {
    if (op.sink !== sink) {
      sink = op.sink;
      lines.push('', paint('1', `sink ${sink}`));
    }
    lines.push(`  ${paint(COLOR[op.op], `${SYMBOL[op.op]} ${op.op}`)} ${headline(op)}`);
    if (op.reason) lines.push(`      ${paint('2', `why: ${op.reason}`)}`);
    for (const [field, change] of opts.fields === false ? [] : Object.entries(op.changes)) {
      if (op.op === 'create' && change.to === '') continue;
      const edited = op.drift?.includes(field) ? paint('35', '  (edited in the sink since masync last wrote it; overwritten)') : '';
      lines.push(`      ${field}: ${formatChange(op, change)}${edited}`);
    }
  }
  if (plan.drift.length) {
    lines.push('', paint('1', 'Edited in the sink and left alone (the mapping gives the sink authority):'));
    for (const d of plan.drift) lines.push(`  ${d.sink} ${d.key} ${d.field}: sink ${quote(d.sinkValue)}, source ${quote(d.sourceValue)}`);
  }
  if (plan.findings.length) {
    const waste = plan.findings.reduce((n, f) => n + (f.monthlyWaste ?? 0), 0);
    lines.push('', paint('1', `Findings (${plan.findings.length}${waste > 0 ? `, wasting ${amount(waste, plan.findings[0]?.currency)} a month` : ''}):`));
    for (const f of plan.findings) lines.push(`  ${paint(f.severity === 'high' || f.severity === 'critical' ? '31' : '33', f.type.padEnd(20))} ${f.title ?? f.key}: ${f.detail}${f.firstSeen ? ` (since ${f.firstSeen.slice(0, 10)})` : ''}`);
  }
  if (plan.notes.length) {
    lines.push('', paint('1', 'Notes:'));
    for (const n of plan.notes) lines.push(`  - ${n}`);
  }
  if (plan.held.length) lines.push('', paint('33', `Held back: ${plan.held.length} guard(s) kept retirements from happening this run (see the notes); the run is partial.`));
  if (plan.blocked) lines.push('', paint('31', `Blocked: ${plan.blocked}. A sync applies nothing, not even the creates, unless run with --allow-mass-retire.`));
  if (plan.massRetireAllowed) lines.push('', paint('33', `Mass retirement allowed: ${plan.massRetireAllowed}.`));
  lines.push('', summaryLine(plan));
  return lines.join('\n').replace(/^\n/, '') + '\n';
}

export function summaryLine(plan: Plan): string {
  if (plan.ops.length === 0) return `No changes. ${plan.summary.unchanged} record(s) already up to date.`;
  return `Plan: ${summaryText(plan.summary)}.`;
}

/** `2 to create, 1 to update, 0 to retire, 2 to relate, 0 to unrelate, 18 unchanged` */
export function summaryText(s: PlanSummary): string {
  return `${s.create} to create, ${s.update} to update, ${s.retire} to retire, ${s.relate} to relate, ${s.unrelate} to unrelate, ${s.unchanged} unchanged`;
}

/** The `plan --json` contract. */
export function planToJson(plan: Plan): Record<string, unknown> {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    summary: plan.summary,
    ops: plan.ops.map((o) => ({
      op: o.op,
      sink: o.sink,
      kind: o.kind,
      key: o.key,
      ...(o.title ? { title: o.title } : {}),
      changes: o.changes,
      ...(o.class ? { class: o.class } : {}),
      ...(o.id ? { id: o.id } : {}),
      ...(o.drift ? { drift: o.drift } : {}),
      ...(o.relation ? { relation: o.relation } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
    })),
    drift: plan.drift,
    notes: plan.notes,
    held: plan.held,
    findings: plan.findings,
    ...(plan.blocked ? { blocked: plan.blocked } : {}),
  };
}

function headline(op: PlanOp): string {
  if (op.relation) return `${op.relation.type}: ${op.relation.parent} → ${op.relation.child}`;
  const name = op.title ? `${op.title}  ` : '';
  return `${op.kind} ${name}(${op.key})${op.class ? ` ${op.class}` : ''}`;
}

function formatChange(op: PlanOp, c: FieldChange): string {
  const to = labelled(c.to, c.toLabel);
  return op.op === 'create' ? to : `${labelled(c.from, c.fromLabel)} → ${to}`;
}

/** A reference shows the name it stands for, with the raw id after it. */
function labelled(v: string | null, label: string | undefined): string {
  return label !== undefined && label !== v ? `${quote(label)} (${v ?? ''})` : quote(v);
}

export function amount(n: number, currency = 'USD'): string {
  return `${currency === 'USD' ? '$' : `${currency} `}${n.toFixed(2)}`;
}

function quote(v: string | null): string {
  if (v === null) return '(none)';
  const short = v.length > 120 ? `${v.slice(0, 117)}...` : v;
  return JSON.stringify(short);
}
