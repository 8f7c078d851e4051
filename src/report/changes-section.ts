import { titleOf } from '../inventory';
import type { StoredFinding } from '../state/findings';
import type { RunRow } from '../state/runs';
import { esc } from './escape';
import { count, money, when } from './format';
import { badge, table, timeTag } from './tables';
import type { ReportData } from './types';

const OPS = ['create', 'update', 'retire', 'relate', 'unrelate', 'unchanged', 'failed', 'unknown', 'skipped'];

/** What the last run planned and wrote, anything more its summary records, and the findings it raised and cleared. */
export function changesSection(d: ReportData): string {
  const c = d.changes;
  const run = c.run;
  if (!run) return `<p class="empty">No sync recorded yet: run <code>masync sync</code>, then this report again.</p>`;
  const ops = [...new Set([...OPS, ...Object.keys(c.planned ?? {}), ...Object.keys(c.applied ?? {})])].filter((op) => (c.planned?.[op] ?? 0) > 0 || (c.applied?.[op] ?? 0) > 0);
  const head = `<p>Last run <code>${esc(run.id)}</code>: <strong>${esc(run.status)}</strong>, started ${timeTag(run.startedAt, when(run.startedAt))}${run.finishedAt ? `, finished ${timeTag(run.finishedAt, when(run.finishedAt))}` : ''}.</p>`;
  const counts = table({
    id: 'run-counts',
    caption: 'Records in the sinks: planned and written by the last run',
    rows: ops,
    empty: 'The last run planned nothing and wrote nothing: every record was already up to date.',
    columns: [
      { head: 'Change', cell: (op) => esc(op) },
      { head: 'Planned', num: true, cell: (op) => (c.planned?.[op] !== undefined ? count(c.planned[op] as number) : '') },
      { head: 'Written', num: true, cell: (op) => (c.applied?.[op] !== undefined ? count(c.applied[op] as number) : '') },
    ],
  });
  const details = c.details.length ? `<h3>Change summary</h3><ul class="change-summary">${c.details.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>` : '';
  const problems = run.errors.length ? `<details><summary>${run.errors.length} error(s) in that run</summary><ul>${run.errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul></details>` : '';
  const byKey = new Map(d.items.map((i) => [i.key, i]));
  const name = (key: string) => {
    const item = byKey.get(key);
    return `<span title="${esc(key)}">${esc(item ? titleOf(item) : key)}</span>`;
  };
  return head + counts + details + problems + findingList('raised', 'Findings raised since that run started', c.raised, name) + findingList('cleared', 'Findings cleared since that run started', c.cleared, name);
}

function findingList(id: string, caption: string, list: readonly StoredFinding[], name: (key: string) => string): string {
  return (
    `<h3>${esc(caption)} (${list.length})</h3>` +
    table({
      id: `findings-${id}`,
      caption,
      stack: true,
      rows: list,
      empty: 'None.',
      columns: [
        { head: 'Finding', cell: (f) => badge(f.type, f.severity) },
        { head: 'Item', cell: (f) => name(f.key) },
        { head: 'Waste / month', num: true, cell: (f) => (f.monthlyWaste !== undefined ? esc(money(f.monthlyWaste, f.currency)) : '') },
        { head: 'Detail', cell: (f) => esc(f.detail) },
      ],
    })
  );
}

/** The most recent runs, as `masync status` lists them. */
export function runsTable(runs: readonly RunRow[]): string {
  const total = (s: unknown, part: 'planned' | 'applied') => {
    const v = (s as Record<string, unknown> | undefined)?.[part];
    if (typeof v !== 'object' || v === null) return '';
    return Object.entries(v as Record<string, unknown>)
      .filter(([op, n]) => op !== 'unchanged' && typeof n === 'number' && n > 0)
      .map(([op, n]) => `${count(n as number)} ${op}`)
      .join(', ');
  };
  return table({
    id: 'runs-table',
    caption: 'Recent runs, newest first',
    stack: true,
    rows: runs,
    empty: 'No run recorded yet.',
    columns: [
      { head: 'Run', cell: (r) => `<code>${esc(r.id)}</code>` },
      { head: 'Started', cell: (r) => timeTag(r.startedAt, when(r.startedAt)) },
      { head: 'Status', cell: (r) => esc(r.status) },
      { head: 'Planned', cell: (r) => esc(total(r.summary, 'planned') || 'nothing') },
      { head: 'Written', cell: (r) => esc(total(r.summary, 'applied') || 'nothing') },
      { head: 'Errors', num: true, cell: (r) => String(r.errors.length) },
    ],
  });
}
