import type { InventoryItem } from '../../inventory';
import type { RaisedFinding } from '../../state/findings';
import type { PolicyInput, PolicyResult } from '../policy';
import { retiredButServingPolicy, type RetiredButServingConfig } from './retired-but-serving';
import { shadowPolicy, type ShadowConfig } from './shadow';
import { unservedProductionPolicy, type UnservedProductionConfig } from './unserved-production';
import { zombiePolicy, type ZombieConfig } from './zombie';

/** Each policy's settings, as `policies:` in the config holds them. */
export interface PoliciesConfig {
  zombie: ZombieConfig;
  retiredButServing: RetiredButServingConfig;
  shadow: ShadowConfig;
  unservedProduction: UnservedProductionConfig;
}

export interface Judged {
  raised: RaisedFinding[];
  /** Per finding type, the keys judged this run. */
  evaluated: Map<string, Set<string>>;
  notes: string[];
}

/** Every policy over this run's items: one file per finding type, each pure. */
export function runPolicies(input: PolicyInput, config: PoliciesConfig): Judged {
  const results: PolicyResult[] = [
    zombiePolicy.evaluate(input, config.zombie),
    retiredButServingPolicy.evaluate(input, config.retiredButServing),
    shadowPolicy.evaluate(input, config.shadow),
    unservedProductionPolicy.evaluate(input, config.unservedProduction),
  ];
  const types = [zombiePolicy.type, retiredButServingPolicy.type, shadowPolicy.type, unservedProductionPolicy.type];
  const judged: Judged = { raised: [], evaluated: new Map(), notes: [] };
  results.forEach((r, i) => {
    judged.evaluated.set(types[i] as string, r.evaluated);
    for (const f of r.findings) {
      const item = input.byKey.get(f.key);
      judged.raised.push({ ...f, ...(item?.cost ? { currency: item.cost.currency } : {}) });
    }
    for (const n of r.notes) judged.notes.push(n);
  });
  return judged;
}

/** Items with their findings attached, each with when it was first seen (from state, else now). */
export function attachFindings(items: readonly InventoryItem[], raised: readonly RaisedFinding[], firstSeen: ReadonlyMap<string, string>, now: string): InventoryItem[] {
  const byKey = new Map<string, RaisedFinding[]>();
  for (const r of raised) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  return items.map((item) => {
    const found = byKey.get(item.key);
    if (!found) return item;
    const findings = found.map((r) => ({ ...r.finding, firstSeen: firstSeen.get(`${r.finding.type}\u0000${item.key}`) ?? now })).sort((a, b) => a.type.localeCompare(b.type));
    return { ...item, findings };
  });
}
