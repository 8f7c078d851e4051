import { barChart, columnChart, type Bar } from './charts';
import { esc } from './escape';
import { money, moneyList } from './format';
import { table } from './tables';
import type { CostRow, Money, ReportData, TrendPoint } from './types';

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
  return perCurrency(points, 'Monthly cost, day by day', (mine, caption, n) => {
    if (mine.length < 2) return emptyFigure(caption, "One day recorded so far: the trend starts with the next day's sync.");
    const peak = mine.reduce((a, b) => (b.monthly > a.monthly ? b : a));
    const first = mine[0] as TrendPoint;
    const last = mine[mine.length - 1] as TrendPoint;
    const id = `cost-trend-${n}`;
    const chart = columnChart({
      id,
      title: caption,
      desc: `${mine.length} day(s) from ${first.day} to ${last.day}: ${priced(first)} then ${priced(last)}; the highest ${priced(peak)} on ${peak.day}.`,
      columns: mine.map((p) => ({ label: p.day, value: p.monthly, text: priced(p) })),
      peak: `highest ${priced(peak)}`,
    });
    return figure(id, caption, chart, { head: 'Day', cell: (p: TrendPoint) => esc(p.day) }, mine);
  });
}

function charts(id: string, title: string, what: string, rows: readonly CostRow[]): string {
  if (rows.length === 0) return emptyFigure(title, `No ${what} has a cost yet.`);
  return perCurrency(rows, title, (mine, caption, n) => {
    const chartId = `${id}-${n}`;
    const chart = barChart({ id: chartId, title: caption, desc: describe(mine, what), bars: bars(mine, what) });
    return figure(chartId, caption, chart, { head: what[0]?.toUpperCase() + what.slice(1), cell: (r: CostRow) => `<span title="${esc(r.key ?? '')}">${esc(r.label)}</span>` }, mine);
  });
}

type Costed = Money & { estimated?: boolean };

/** One figure per currency: amounts in different currencies are never drawn on one axis. */
function perCurrency<T extends Costed>(rows: readonly T[], title: string, draw: (mine: T[], caption: string, n: number) => string): string {
  const currencies = [...new Set(rows.map((r) => r.currency))];
  return currencies.map((currency, n) => draw(rows.filter((r) => r.currency === currency), currencies.length > 1 ? `${title}, ${currency}` : title, n)).join('');
}

/** A chart with the same figures in a table under it: what each row is, and what it costs a month. */
function figure<T extends Costed>(id: string, caption: string, chart: string, name: { head: string; cell: (r: T) => string }, rows: readonly T[]): string {
  const perMonth = { head: 'Per month', num: true, cell: (r: T) => esc(money(r.monthly, r.currency)) + (r.estimated ? ' <abbr title="includes price-table estimates">est.</abbr>' : ''), sortBy: (r: T) => r.monthly };
  return (
    `<figure><figcaption>${esc(caption)}</figcaption>${chart}<details><summary>As a table</summary>` +
    table({ id: `${id}-table`, caption, columns: [name, perMonth], rows, empty: '', sortable: true }) +
    `</details></figure>`
  );
}

function emptyFigure(caption: string, text: string): string {
  return `<figure><figcaption>${esc(caption)}</figcaption><p class="empty">${esc(text)}</p></figure>`;
}

/** "$97.82 est.": a figure with its estimate mark. */
function priced(r: Costed): string {
  return money(r.monthly, r.currency) + (r.estimated ? ' est.' : '');
}

/**
 * The top rows as bars, the rest summed into one grey bar, so a thousand
 * models still make a readable chart; unregistered spend keeps its own bar.
 */
function bars(rows: readonly CostRow[], what: string): Bar[] {
  const bar = (r: CostRow): Bar => ({ label: r.label, value: r.monthly, text: priced(r) });
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
