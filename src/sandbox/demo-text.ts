import { amount } from '../engine/render';
import type { Plan } from '../engine/types';
import type { ViewedRecord } from './part';

/*
 * How the demo words what it shows: shorter than the commands' own output
 * where a person reading a tour needs the gist (the plan of a first sync
 * lists every record twice over), never different in substance.
 */

/** The plan in a few lines: per sink, what would be written, by operation and kind; then findings and notes. */
export function planHeadlines(plan: Plan): string {
  const bySink = new Map<string, Map<string, number>>();
  for (const op of plan.ops) {
    const counts = bySink.get(op.sink) ?? new Map<string, number>();
    const what = op.op === 'relate' || op.op === 'unrelate' ? `${op.op} (${op.relation?.type ?? 'relation'})` : `${op.op} ${op.kind}`;
    counts.set(what, (counts.get(what) ?? 0) + 1);
    bySink.set(op.sink, counts);
  }
  const lines: string[] = [];
  for (const [sink, counts] of bySink) lines.push(`sink ${sink}: ${[...counts].map(([what, n]) => `${n} × ${what}`).join(', ')}`);
  const waste = plan.findings.reduce((n, f) => n + (f.monthlyWaste ?? 0), 0);
  const types = new Map<string, number>();
  for (const f of plan.findings) types.set(f.type, (types.get(f.type) ?? 0) + 1);
  if (plan.findings.length) lines.push(`findings: ${[...types].map(([t, n]) => `${n} ${t}`).join(', ')}${waste > 0 ? `, wasting ${amount(waste, plan.findings[0]?.currency)} a month` : ''}`);
  if (plan.notes.length) lines.push('notes:', ...plan.notes.map((n) => `  - ${n}`));
  return lines.join('\n');
}

/** `masync init --apply-schema` output, summed up: how many of each thing it made, and its last line. */
export function bootstrapSummary(output: string): string {
  const lines = output.trim().split('\n');
  const made = new Map<string, number>();
  for (const l of lines) {
    const m = /^\+ (?:would create|created) ([a-z ]+?) "/.exec(l);
    if (m) made.set(m[1] as string, (made.get(m[1] as string) ?? 0) + 1);
  }
  const head = made.size ? `created ${[...made].map(([what, n]) => `${n} ${what}${n === 1 ? '' : 's'}`).join(', ')}` : 'created nothing';
  return `${head}\n${lines[lines.length - 1] ?? ''}`;
}

/** A record as its sink shows it: every field with a value (long ones cut), then its relations. */
export function recordText(r: ViewedRecord): string {
  const width = Math.max(...Object.keys(r.fields).map((f) => f.length));
  const cut = (v: string) => (v.length > 110 ? `${v.slice(0, 107)}...` : v);
  return [
    ...Object.entries(r.fields).map(([f, v]) => `  ${f.padEnd(width)}  ${cut(v)}`),
    ...r.relations.map((rel) => `  ${rel.type} → ${rel.other}`),
  ].join('\n');
}
