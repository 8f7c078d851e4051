import { barChart, type Bar } from './charts';
import { esc } from './escape';
import { money, moneyList } from './format';
import { table } from './tables';
import type { CostRow, ReportData } from './types';

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
    `</div>`
  );
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
