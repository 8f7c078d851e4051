import type { Cost, DeploymentItem } from '../../../src/inventory';
import type { GroupCost } from './cache';

/** A 30-day month: what `Cost.monthly` is expressed in. */
const MONTH_DAYS = 30;

export interface CostFold {
  cost: Map<string, Cost>;
  /** What an operator should hear about: ambiguous tag values, mixed currencies, credits above cost. */
  warnings: string[];
  /** Tag values that matched no deployment (endpoints deleted since, or tagged by hand elsewhere). */
  unmatched: number;
}

/**
 * Joins tagged cost onto deployments. A tag value is an endpoint's ARN (unique)
 * or its name (matched within the linked account the cost came from; a name two
 * deployments share there is ambiguous and attributed to neither). Inference
 * components bill through their endpoint, so only endpoints are matched.
 * `monthly` covers the days from the first one with cost to the window's end,
 * scaled to 30 days, so a deployment created last week is priced at its rate.
 */
export function costsByDeployment(
  deployments: readonly DeploymentItem[],
  days: ReadonlyMap<string, readonly GroupCost[]>,
  window: readonly string[],
  basis: { tagKey: string; metric: string },
): CostFold {
  const byArn = new Map<string, DeploymentItem>();
  const byName = new Map<string, DeploymentItem[]>();
  for (const d of deployments) {
    if (d.component) continue;
    if (d.arn) byArn.set(d.arn.toLowerCase(), d);
    if (d.account) {
      const k = nameKey(d.account, d.endpoint);
      byName.set(k, [...(byName.get(k) ?? []), d]);
    }
  }

  const index = new Map(window.map((d, i) => [d, i]));
  const perDeployment = new Map<string, { d: DeploymentItem; daily: number[]; units: Set<string> }>();
  const warnings: string[] = [];
  const ambiguous = new Set<string>();
  let unmatched = 0;
  const seenValues = new Set<string>();
  for (const [day, groups] of days) {
    const i = index.get(day);
    if (i === undefined) continue;
    for (const g of groups) {
      if (g.value === '') continue; // cost without the tag: the price table estimates it
      const candidates = g.value.startsWith('arn:') ? [byArn.get(g.value.toLowerCase())].filter((d) => d !== undefined) : (byName.get(nameKey(g.account, g.value)) ?? []);
      const valueKey = `${g.account}/${g.value}`;
      if (candidates.length !== 1) {
        if (!seenValues.has(valueKey)) {
          if (candidates.length > 1) ambiguous.add(`${g.value} (account ${g.account})`);
          else unmatched++;
        }
        seenValues.add(valueKey);
        continue;
      }
      seenValues.add(valueKey);
      const d = candidates[0] as DeploymentItem;
      const acc = perDeployment.get(d.key) ?? { d, daily: window.map(() => 0), units: new Set<string>() };
      acc.daily[i] = (acc.daily[i] as number) + g.amount;
      acc.units.add(g.unit);
      perDeployment.set(d.key, acc);
    }
  }
  if (ambiguous.size) {
    warnings.push(`tag ${basis.tagKey} values name more than one endpoint and are attributed to none: ${[...ambiguous].join(', ')} (tag with the endpoint ARN instead)`);
  }

  const cost = new Map<string, Cost>();
  for (const { d, daily, units } of perDeployment.values()) {
    if (units.size > 1) {
      warnings.push(`cost of ${d.key} comes in several currencies (${[...units].join(', ')}); not attributed`);
      continue;
    }
    const first = daily.findIndex((a) => a !== 0);
    const known = first < 0 ? daily.length : daily.length - first;
    const total = daily.reduce((a, b) => a + b, 0);
    if (total < 0) {
      warnings.push(`cost of ${d.key} is negative over the window (credits or refunds exceed usage); not attributed`);
      continue;
    }
    cost.set(d.key, {
      monthly: Math.round(((total * MONTH_DAYS) / known) * 100) / 100,
      currency: [...units][0] as string,
      estimated: false,
      basis: `cost-explorer tag ${basis.tagKey}: ${basis.metric} over ${known} day(s)${known === MONTH_DAYS ? '' : ', scaled to 30 days'}`,
    });
  }
  return { cost, warnings, unmatched };
}

function nameKey(account: string, endpoint: string): string {
  return `${account}/${endpoint.toLowerCase()}`;
}
