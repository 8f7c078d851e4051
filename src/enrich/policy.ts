import type { DeploymentItem, Finding, InventoryItem, ModelVersionItem } from '../inventory';

/** What every policy sees: this run's items after linking and costing, indexed. */
export interface PolicyInput {
  items: readonly InventoryItem[];
  byKey: ReadonlyMap<string, InventoryItem>;
  /** Live deployments serving each version key. */
  servedBy: ReadonlyMap<string, DeploymentItem[]>;
  /** Whether any configured source reads deployments (without one, "nobody serves it" means nothing). */
  readsDeployments: boolean;
  /** Version keys that were registered once and are gone from their source now. */
  goneVersions: ReadonlySet<string>;
  now: Date;
}

export interface PolicyResult {
  findings: Array<{ key: string; finding: Finding }>;
  /** Keys the policy could judge this run: an open finding on one of them that was not raised again is cleared. */
  evaluated: Set<string>;
  notes: string[];
}

/** One finding type: a pure judgement of this run's items. */
export interface Policy<C> {
  type: string;
  evaluate(input: PolicyInput, config: C): PolicyResult;
}

export function emptyResult(): PolicyResult {
  return { findings: [], evaluated: new Set(), notes: [] };
}

const LIVE = new Set(['inservice', 'updating', 'systemupdating', 'rollingback', 'updaterollbackfailed', 'running', 'ready', 'active']);

/** Serving traffic, or able to: what bills. */
export function isLive(d: DeploymentItem): boolean {
  return LIVE.has(d.status.toLowerCase());
}

export function policyInput(items: readonly InventoryItem[], goneVersions: ReadonlySet<string>, readsDeployments: boolean, now: Date): PolicyInput {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const servedBy = new Map<string, DeploymentItem[]>();
  for (const d of items) {
    if (d.kind !== 'deployment' || !isLive(d)) continue;
    for (const key of d.serves ?? (d.servesVersionKey ? [d.servesVersionKey] : [])) servedBy.set(key, [...(servedBy.get(key) ?? []), d]);
  }
  return { items, byKey, servedBy, readsDeployments, goneVersions, now };
}

/** "$812.40/month" (or "cost unknown"), for finding details. */
export function money(cost: { monthly: number; currency: string } | undefined): string {
  return cost ? `${cost.currency === 'USD' ? '$' : `${cost.currency} `}${cost.monthly.toFixed(2)}/month` : 'cost unknown';
}

export function versionTitle(v: ModelVersionItem | undefined, key: string): string {
  return v ? `${v.name} v${v.version}` : key;
}
