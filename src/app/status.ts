import type { PlanSummary } from '../engine/types';
import { itemCounts } from '../state/items';
import { countsText } from './sync-run';
import { linkCounts } from '../state/links';
import { recentRuns, type RunRow } from '../state/runs';
import type { Db } from '../state/db';

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
    const s = run.summary as (PlanSummary & { writes: number }) | undefined;
    const counts = s ? countsText(s, s.writes) : '';
    lines.push(`  ${run.startedAt}  ${run.id}  ${run.status.padEnd(8)} ${counts}`);
    for (const e of run.errors.slice(0, 3)) lines.push(`      error: ${e}`);
  }
  lines.push('', 'Items by source:');
  if (r.items.length === 0) lines.push('  (none)');
  for (const i of r.items) lines.push(`  ${i.source}  ${i.kind.padEnd(14)} ${i.active} active, ${i.retired} gone`);
  lines.push('', 'Records by sink:');
  if (r.links.length === 0) lines.push('  (none)');
  for (const l of r.links) lines.push(`  ${l.sink}  ${l.active} active, ${l.retired} retired`);
  return lines.join('\n') + '\n';
}
