import { barChart, columnChart, type Bar } from './charts';
import { esc } from './escape';
import { money, moneyList } from './format';
import { table } from './tables';
import type { CostRow, ReportData, TrendPoint } from './types';

const TOP = 12;

/** Cost by model and by cost center: a chart per currency, each with the same figures as a table under it. */
export function costSection(d: ReportData): string {
  const deployments = d.items.filter((i) => i.kind === 'deployment');
  const costed = deployments.filter((i) => i.cost);
  if (costed.length === 0) {
    return `<p class="empty">No cost recorded. masync costs deployments (SageMaker endpoints) from billing data (the Cost Explorer enricher) or the price table; ${
      deployments.length ? 'none of the deployments in state had a cost' : 'no source in state reads deployments'
    }.</p>`;
  }
  const estimated = costed.filter((i) => i.cost?.estimated).length;
  const head =
    `<p>${esc(moneyList(d.costs.total))} a month across ${costed.length} costed deployment(s)` +
    `${estimated ? `, ${estimated} of them estimated from the price table (no billing figure)` : ''}.</p>`;
  const centers = d.costs.byCostCenter.map((r) => ({ ...r, label: r.label === '(none)' ? '(no cost center)' : r.label }));
  return (
    head +
    `<div class="charts">` +
    charts('cost-model', 'Monthly cost by model', 'model', d.costs.byModel) +
    charts('cost-center', `Monthly cost by cost center${d.costs.costCenterDay ? ` (recorded ${d.costs.costCenterDay})` : ''}`, 'cost center', centers) +
    trend(d.costs.trend) +
    `</div>`
  );
}

/** What the deployments cost a month, day by day as the syncs recorded it, per currency: how spend moved, not just where it stands. */
function trend(points: readonly TrendPoint[]): string {
  const currencies = [...new Set(points.map((p) => p.currency))];
  return currencies
    .map((currency, n) => {
      const mine = points.filter((p) => p.currency === currency);
      const title = `Monthly cost, day by day${currencies.length > 1 ? `, ${currency}` : ''}`;
      if (mine.length < 2) return `<figure><figcaption>${esc(title)}</figcaption><p class="empty">One day recorded so far: the trend starts with the next day's sync.</p></figure>`;
      const peak = mine.reduce((a, b) => (b.monthly > a.monthly ? b : a));
      const first = mine[0] as TrendPoint;
      const last = mine[mine.length - 1] as TrendPoint;
      const id = `cost-trend-${n}`;
      const label = (p: TrendPoint) => money(p.monthly, p.currency) + (p.estimated ? ' est.' : '');
      return (
        `<figure><figcaption>${esc(title)}</figcaption>` +
        columnChart({
          id,
          title,
          desc: `${mine.length} day(s) from ${first.day} to ${last.day}: ${label(first)} then ${label(last)}; the highest ${label(peak)} on ${peak.day}.`,
          columns: mine.map((p) => ({ label: p.day, value: p.monthly, text: label(p) })),
          peak: `highest ${label(peak)}`,
        }) +
        `<details><summary>As a table</summary>` +
        table({
          id: `${id}-table`,
          caption: title,
          columns: [
            { head: 'Day', cell: (p: TrendPoint) => esc(p.day) },
            { head: 'Per month', num: true, cell: (p: TrendPoint) => esc(money(p.monthly, p.currency)) + (p.estimated ? ' <abbr title="includes price-table estimates">est.</abbr>' : ''), sortBy: (p: TrendPoint) => p.monthly },
          ],
          rows: mine,
          empty: '',
          sortable: true,
        }) +
        `</details></figure>`
      );
    })
    .join('');
}

function charts(id: string, title: string, what: string, rows: readonly CostRow[]): string {
  if (rows.length === 0) return `<figure><figcaption>${esc(title)}</figcaption><p class="empty">No ${esc(what)} has a cost yet.</p></figure>`;
  const currencies = [...new Set(rows.map((r) => r.currency))];
  return currencies
    .map((currency, n) => {
      const mine = rows.filter((r) => r.currency === currency);
      const caption = currencies.length > 1 ? `${title}, ${currency}` : title;
      const chartId = `${id}-${n}`;
      return (
        `<figure><figcaption>${esc(caption)}</figcaption>` +
        barChart({ id: chartId, title: caption, desc: describe(mine, what), bars: bars(mine, what) }) +
        `<details><summary>As a table</summary>` +
        table({
          id: `${chartId}-table`,
          caption,
          columns: [
            { head: what[0]?.toUpperCase() + what.slice(1), cell: (r: CostRow) => `<span title="${esc(r.key ?? '')}">${esc(r.label)}</span>` },
            { head: 'Per month', num: true, cell: (r: CostRow) => esc(money(r.monthly, r.currency)) + (r.estimated ? ' <abbr title="includes price-table estimates">est.</abbr>' : ''), sortBy: (r: CostRow) => r.monthly },
          ],
          rows: mine,
          empty: '',
          sortable: true,
        }) +
        `</details></figure>`
      );
    })
    .join('');
}

/**
 * The top rows as bars, the rest summed into one grey bar, so a thousand
 * models still make a readable chart; unregistered spend keeps its own bar.
 */
function bars(rows: readonly CostRow[], what: string): Bar[] {
  const bar = (r: CostRow): Bar => ({ label: r.label, value: r.monthly, text: money(r.monthly, r.currency) + (r.estimated ? ' est.' : '') });
  const ranked = rows.filter((r) => !r.unregistered);
  const pinned = rows.filter((r) => r.unregistered).map(bar);
  const rest = ranked.slice(TOP);
  const sum = rest.reduce((n, r) => n + r.monthly, 0);
  const more: Bar[] = rest.length ? [{ label: `${rest.length} more ${what}(s)`, value: sum, text: money(sum, rest[0]?.currency), cls: 'other' }] : [];
  return [...ranked.slice(0, TOP).map(bar), ...more, ...pinned];
}

function describe(rows: readonly CostRow[], what: string): string {
  const top = rows.slice(0, 3).map((r) => `${r.label} ${money(r.monthly, r.currency)}`);
  return `${rows.length} ${what}(s); the largest: ${top.join('; ')}.`;
}
