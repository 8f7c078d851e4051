import type { Cost, DeploymentItem, InventoryItem } from '../inventory';

export interface PriceTable {
  currency: string;
  hoursPerMonth: number;
  /** Instance type → price per instance hour. */
  hourly: Readonly<Record<string, number>>;
}

export interface Costed {
  items: InventoryItem[];
  /** Monthly cost per cost center, from the models' costs (one row per currency). */
  centers: Array<{ name: string; monthly: number; currency: string }>;
  notes: string[];
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Every deployment's monthly cost: measured (billing data, by key) where the
 * billing enricher found it, else estimated from the price table × current
 * instances × hours a month, summed over every variant. Serverless capacity
 * and inference components bill on other terms (per request, or on their
 * endpoint) and get no estimate. Then rolled up: deployment → the versions it
 * serves (a variant's share to its version) → model → cost center. Pure.
 */
export function applyCosts(items: readonly InventoryItem[], measured: ReadonlyMap<string, Cost>, prices: PriceTable): Costed {
  const notes: string[] = [];
  const missing = new Set<string>();
  const costed = items.map((item) => {
    if (item.kind !== 'deployment') return item;
    const cost = measured.get(item.key) ?? estimate(item, prices, missing);
    return cost ? { ...item, cost } : item;
  });
  if (missing.size) notes.push(`no price for instance type(s) ${[...missing].sort().join(', ')}: add them under cost.prices; those deployments have no cost`);
  return rollUp(costed, notes);
}

function estimate(d: DeploymentItem, prices: PriceTable, missing: Set<string>): Cost | undefined {
  if (d.component !== undefined) return undefined;
  let hourly = 0;
  const parts: string[] = [];
  for (const v of d.variants ?? []) {
    const count = v.currentInstanceCount ?? 0;
    if (v.serverless || !v.instanceType || count === 0) continue;
    const price = prices.hourly[v.instanceType];
    if (price === undefined) {
      missing.add(v.instanceType);
      return undefined;
    }
    hourly += price * count;
    parts.push(`${v.instanceType} × ${count}`);
  }
  if (parts.length === 0) return undefined;
  return { monthly: round(hourly * prices.hoursPerMonth), currency: prices.currency, estimated: true, basis: `price table: ${parts.join(' + ')} × ${prices.hoursPerMonth} h` };
}

/** A version costs what the variants serving it cost; a model, its versions; a cost center, its models. */
function rollUp(items: InventoryItem[], notes: string[]): Costed {
  const perVersion = new Map<string, { monthly: number; currency: string; estimated: boolean; from: number }>();
  for (const d of items) {
    if (d.kind !== 'deployment' || !d.cost) continue;
    for (const [key, share] of shares(d)) {
      const prev = perVersion.get(key) ?? { monthly: 0, currency: d.cost.currency, estimated: false, from: 0 };
      if (prev.currency !== d.cost.currency) continue;
      perVersion.set(key, { monthly: prev.monthly + d.cost.monthly * share, currency: prev.currency, estimated: prev.estimated || d.cost.estimated, from: prev.from + 1 });
    }
  }
  const perModel = new Map<string, { monthly: number; currency: string; estimated: boolean; from: number }>();
  const withVersions = items.map((item) => {
    if (item.kind !== 'model_version') return item;
    const c = perVersion.get(item.key);
    if (!c) return item;
    const prev = perModel.get(item.versionOf) ?? { monthly: 0, currency: c.currency, estimated: false, from: 0 };
    if (prev.currency === c.currency) perModel.set(item.versionOf, { monthly: prev.monthly + c.monthly, currency: c.currency, estimated: prev.estimated || c.estimated, from: prev.from + 1 });
    return { ...item, cost: { monthly: round(c.monthly), currency: c.currency, estimated: c.estimated, basis: `sum of ${c.from} deployment(s) serving it` } };
  });
  const centers = new Map<string, { monthly: number; currency: string }>();
  const out = withVersions.map((item) => {
    if (item.kind !== 'model') return item;
    const c = perModel.get(item.key);
    if (!c) return item;
    const center = `${item.costCenter ?? '(none)'}\u0000${c.currency}`;
    centers.set(center, { monthly: (centers.get(center)?.monthly ?? 0) + c.monthly, currency: c.currency });
    return { ...item, cost: { monthly: round(c.monthly), currency: c.currency, estimated: c.estimated, basis: `sum of ${c.from} version(s)` } };
  });
  return {
    items: out,
    centers: [...centers].map(([k, v]) => ({ name: k.split('\u0000')[0] as string, monthly: round(v.monthly), currency: v.currency })).sort((a, b) => b.monthly - a.monthly),
    notes,
  };
}

/** Each served version's share of a deployment's cost: by instance count per variant, else evenly. */
function shares(d: DeploymentItem): Map<string, number> {
  const out = new Map<string, number>();
  const variants = (d.variants ?? []).filter((v) => v.servesVersionKey);
  if (variants.length === 0) {
    if (d.servesVersionKey) out.set(d.servesVersionKey, 1);
    return out;
  }
  const weight = (v: (typeof variants)[number]) => v.currentInstanceCount ?? 0;
  const total = variants.reduce((n, v) => n + weight(v), 0);
  for (const v of variants) out.set(v.servesVersionKey as string, (out.get(v.servesVersionKey as string) ?? 0) + (total > 0 ? weight(v) / total : 1 / variants.length));
  return out;
}
