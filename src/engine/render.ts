import type { FieldChange, Plan, PlanOp } from './types';

export interface RenderOptions {
  color: boolean;
  /** Show field values under each op (default); off prints one line per op. */
  fields?: boolean;
}

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
  if (plan.notes.length) {
    lines.push('', paint('1', 'Notes:'));
    for (const n of plan.notes) lines.push(`  - ${n}`);
  }
  if (plan.blocked) lines.push('', paint('31', `Blocked: ${plan.blocked}`));
  lines.push('', summaryLine(plan));
  return lines.join('\n').replace(/^\n/, '') + '\n';
}

export function summaryLine(plan: Plan): string {
  const { create, update, retire, unchanged } = plan.summary;
  const relate = plan.ops.filter((o) => o.op === 'relate').length;
  const unrelate = plan.ops.filter((o) => o.op === 'unrelate').length;
  const rel = relate || unrelate ? `, ${relate} to relate, ${unrelate} to unrelate` : '';
  if (plan.ops.length === 0) return `No changes. ${unchanged} record(s) already up to date.`;
  return `Plan: ${create} to create, ${update} to update, ${retire} to retire${rel}, ${unchanged} unchanged.`;
}

/** The `plan --json` contract. */
export function planToJson(plan: Plan): Record<string, unknown> {
  return {
    summary: plan.summary,
    ops: plan.ops.map((o) => ({ op: o.op, sink: o.sink, kind: o.kind, key: o.key, changes: o.changes, ...(o.class ? { class: o.class } : {}), ...(o.id ? { id: o.id } : {}), ...(o.drift ? { drift: o.drift } : {}), ...(o.relation ? { relation: o.relation } : {}) })),
    drift: plan.drift,
    notes: plan.notes,
    ...(plan.blocked ? { blocked: plan.blocked } : {}),
  };
}

function headline(op: PlanOp): string {
  if (op.relation) return `${op.relation.type}: ${op.relation.parent} → ${op.relation.child}`;
  return `${op.kind} ${op.key}${op.class ? ` (${op.class})` : ''}`;
}

function formatChange(op: PlanOp, c: FieldChange): string {
  return op.op === 'create' ? quote(c.to) : `${quote(c.from)} → ${quote(c.to)}`;
}

function quote(v: string | null): string {
  if (v === null) return '(none)';
  const short = v.length > 120 ? `${v.slice(0, 117)}...` : v;
  return JSON.stringify(short);
}
