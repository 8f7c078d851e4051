import { isLive } from '../enrich/policy';
import type { CostBreakdown, CostRow, Money, StateItem, TrendPoint } from './types';

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Cost by model (the roll-up enrichment wrote on each model), what live
 * endpoints serving nothing registered cost (no model carries that, so it
 * gets its own bar, or the chart would hide shadow spend), and the total of
 * every deployment, and the day-by-day trend as recorded. Per currency
 * throughout. Pure.
 */
export function costBreakdown(
  items: readonly StateItem[],
  centers: ReadonlyArray<{ name: string; day: string; monthly: number; currency: string }>,
  trend: readonly TrendPoint[] = [],
): CostBreakdown {
  const byModel: CostRow[] = [];
  const unregistered = new Map<string, { monthly: number; n: number; estimated: boolean }>();
  const total = new Map<string, number>();
  for (const item of items) {
    if (item.kind === 'model' && item.cost) {
      byModel.push({ label: item.name, key: item.key, monthly: item.cost.monthly, currency: item.cost.currency, estimated: item.cost.estimated });
    }
    if (item.kind !== 'deployment' || !item.cost) continue;
    total.set(item.cost.currency, (total.get(item.cost.currency) ?? 0) + item.cost.monthly);
    if (!isLive(item) || item.servesVersionKey || item.serves?.length) continue;
    const u = unregistered.get(item.cost.currency) ?? { monthly: 0, n: 0, estimated: false };
    unregistered.set(item.cost.currency, { monthly: u.monthly + item.cost.monthly, n: u.n + 1, estimated: u.estimated || item.cost.estimated });
  }
  nameSources(byModel, items);
  byModel.sort(byAmount);
  for (const [currency, u] of unregistered) byModel.push({ label: `${u.n} endpoint(s) serving no registered model`, monthly: round(u.monthly), currency, estimated: u.estimated, unregistered: true });
  return {
    byModel,
    byCostCenter: centers.map((c) => ({ label: c.name, monthly: c.monthly, currency: c.currency })).sort(byAmount),
    ...(centers[0] ? { costCenterDay: centers[0].day } : {}),
    total: [...total].map(([currency, monthly]): Money => ({ currency, monthly: round(monthly) })).sort((a, b) => b.monthly - a.monthly),
    trend: [...trend],
  };
}

function byAmount(a: CostRow, b: CostRow): number {
  return a.currency.localeCompare(b.currency) || b.monthly - a.monthly || a.label.localeCompare(b.label);
}

/** Two models of one name (an MLflow and a W&B `fraud-detector`) are told apart by their source. */
function nameSources(rows: CostRow[], items: readonly StateItem[]): void {
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.label, (count.get(r.label) ?? 0) + 1);
  const sourceOf = new Map(items.map((i) => [i.key, i.source]));
  for (const r of rows) if ((count.get(r.label) ?? 0) > 1 && r.key) r.label = `${r.label} (${sourceOf.get(r.key) ?? '?'})`;
}
