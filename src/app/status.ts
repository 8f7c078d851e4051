import type { PlanSummary } from '../engine/types';
import { changeLines, type ChangeSummary } from './change-summary';
import type { Db } from '../state/db';
import { itemCounts } from '../state/items';
import { linkCounts } from '../state/links';
import { recentRuns, type RunRow } from '../state/runs';
import { appliedText, plannedText } from './run-text';
import type { AppliedCounts } from './sync-run';

export interface StatusReport {
  runs: RunRow[];
  items: ReturnType<typeof itemCounts>;
  links: ReturnType<typeof linkCounts>;
}

export function statusReport(db: Db, limit: number): StatusReport {
  return { runs: recentRuns(db, limit), items: itemCounts(db), links: linkCounts(db) };
}

export function renderStatus(r: StatusReport): string {
  const lines: string[] = ['Recent runs:'];
  if (r.runs.length === 0) lines.push('  (none yet: run `masync sync`)');
  for (const run of r.runs) {
    const s = run.summary as { planned?: PlanSummary; applied?: AppliedCounts } | undefined;
    const counts = s?.planned && s.applied ? `planned ${plannedText(s.planned)}; applied: ${appliedText(s.applied)}` : '';
    lines.push(`  ${run.startedAt}  ${run.id}  ${run.status.padEnd(11)} ${counts}`);
    for (const e of run.errors.slice(0, 3)) lines.push(`      error: ${e}`);
    for (const n of run.notes.slice(0, 3)) lines.push(`      note: ${n}`);
  }
  const last = r.runs.find((run) => (run.summary as { change?: ChangeSummary } | undefined)?.change);
  if (last) {
    lines.push('', `What the last recorded sync (${last.id}) changed:`);
    for (const l of changeLines((last.summary as { change: ChangeSummary }).change)) lines.push(`  ${l}`);
  }
  lines.push('', 'Items by source:');
  if (r.items.length === 0) lines.push('  (none)');
  for (const i of r.items) lines.push(`  ${i.source}  ${i.kind.padEnd(14)} ${i.active} active, ${i.retired} gone`);
  lines.push('', 'Records by sink:');
  if (r.links.length === 0) lines.push('  (none)');
  for (const l of r.links) lines.push(`  ${l.sink}  ${l.active} active, ${l.retired} retired`);
  return lines.join('\n') + '\n';
}
