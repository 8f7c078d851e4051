import { titleOf } from '../inventory';
import type { StoredFinding } from '../state/findings';
import { esc } from './escape';
import { count, money, moneyList } from './format';
import { badge, table, timeTag } from './tables';
import { wasteOf } from './governance';
import type { ModelGaps, ReportData, StateItem } from './types';

/** Zombie, shadow and every other open finding on an endpoint, most money wasted first, with the total a month. */
export function endpointSection(d: ReportData): string {
  const found = d.endpointFindings;
  const byKey = new Map(d.items.map((i) => [i.key, i]));
  if (found.length === 0) {
    const live = d.items.some((i) => i.kind === 'deployment');
    return `<p class="empty">${live ? 'No open finding on any endpoint: no zombie, no shadow AI.' : 'No deployment in state: configure a source that reads endpoints (SageMaker) to find zombie and shadow endpoints.'}</p>`;
  }
  const waste = wasteOf(found);
  const types = [...new Set(found.map((f) => f.type))].map((t) => `${count(found.filter((f) => f.type === t).length)} ${t}`).join(', ');
  return (
    `<p>${esc(types)}: ${waste.length ? `wasting <strong>${esc(moneyList(waste))}</strong> a month.` : 'no cost known for them.'}</p>` +
    table({
      id: 'endpoint-findings',
      caption: 'Open findings on endpoints, most money wasted first',
      stack: true,
      sortable: true,
      rows: found,
      empty: '',
      columns: [
        { head: 'Endpoint', cell: (f) => itemName(byKey.get(f.key), f.key) },
        { head: 'Finding', cell: (f) => badge(f.type, f.severity) },
        { head: 'Severity', cell: (f) => esc(f.severity) },
        { head: 'Waste / month', num: true, cell: (f) => (f.monthlyWaste !== undefined ? esc(money(f.monthlyWaste, f.currency)) : ''), sortBy: (f) => f.monthlyWaste ?? -1 },
        { head: 'Since', cell: (f) => timeTag(f.firstSeen, f.firstSeen.slice(0, 10)) },
        { head: 'Detail', cell: (f) => esc(f.detail) },
      ],
      foot: waste.length ? `<tr><td colspan="3">Total</td><td class="num">${esc(moneyList(waste))}</td><td colspan="2"></td></tr>` : undefined,
    })
  );
}

const NOTE: Record<string, string> = { deployment: ' <small>(unregistered endpoint)</small>', unknown: ' <small>(gone from its source)</small>' };

/** Every open finding, by the model it concerns: what each model lacks, in one row. */
export function governanceSection(d: ReportData): string {
  if (d.governance.length === 0) return `<p class="empty">No open finding on any model.</p>`;
  const byKey = new Map(d.items.map((i) => [i.key, i]));
  const gap = (g: ModelGaps, f: StoredFinding) => {
    const on = f.key === g.key ? '' : `<small>${itemName(byKey.get(f.key), f.key)}:</small> `;
    return `<li>${badge(f.type, f.severity)} ${on}${esc(f.detail)}</li>`;
  };
  const types = [...new Set(d.findings.map((f) => f.type))].sort();
  const perType = types.map((t) => `${badge(t, d.findings.find((f) => f.type === t)?.severity ?? 'info')} ${count(d.findings.filter((f) => f.type === t).length)}`).join(' ');
  return (
    `<p>${count(d.findings.length)} open finding(s) on ${count(d.governance.length)} model(s): ${perType}</p>` +
    table({
      id: 'governance-table',
      caption: 'Open findings per model (a version’s and an endpoint’s count for the model they belong to)',
      stack: true,
      sortable: true,
      rows: d.governance,
      empty: '',
      columns: [
        { head: 'Model', cell: (g: ModelGaps) => `<span title="${esc(g.key)}">${esc(g.title)}</span>${NOTE[g.kind] ?? ''}` },
        { head: 'Source', cell: (g: ModelGaps) => esc(g.source) },
        { head: 'Owner', cell: (g: ModelGaps) => (g.owner ? esc(g.owner) : '<small>none</small>') },
        { head: 'Findings', num: true, cell: (g: ModelGaps) => String(g.findings.length), sortBy: (g: ModelGaps) => g.findings.length },
        { head: 'Gaps', cell: (g: ModelGaps) => `<ul class="gaps">${g.findings.map((f) => gap(g, f)).join('')}</ul>` },
      ],
    })
  );
}

function itemName(item: StateItem | undefined, key: string): string {
  const where = !item ? ' <small>(gone from its source)</small>' : item.kind === 'deployment' && item.region ? ` <small>${esc(item.region)}</small>` : '';
  return `<span title="${esc(key)}">${esc(item ? titleOf(item) : key)}</span>${where}`;
}
