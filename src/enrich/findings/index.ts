import type { InventoryItem } from '../../inventory';
import type { RaisedFinding } from '../../state/findings';
import { emptyResult, type Policy, type PolicyInput, type PolicyResult } from '../policy';
import { missingCostCenterPolicy } from './missing-cost-center';
import type { MissingFieldConfig } from './missing-field';
import { missingLineagePolicy, type MissingLineageConfig } from './missing-lineage';
import { missingOwnerPolicy } from './missing-owner';
import { noRetirementPlanPolicy, type NoRetirementPlanConfig } from './no-retirement-plan';
import { retiredButServingPolicy, type RetiredButServingConfig } from './retired-but-serving';
import { retirementCandidatePolicy, type RetirementCandidateConfig } from './retirement-candidate';
import { rollbackDepthPolicy, type RollbackDepthConfig } from './rollback-depth';
import { shadowPolicy, type ShadowConfig } from './shadow';
import { stalePolicy, type StaleConfig } from './stale';
import { unpinnedVendorModelPolicy, type UnpinnedVendorModelConfig } from './unpinned-vendor-model';
import { unservedProductionPolicy, type UnservedProductionConfig } from './unserved-production';
import { zombiePolicy, type ZombieConfig } from './zombie';

type Aliased<C> = Omit<C, 'productionAliases'>;

/** Each policy's settings, as `policies:` in the config holds them. */
export interface PoliciesConfig {
  /** What every policy calls production, besides the Production stage. */
  productionAliases: string[];
  zombie: ZombieConfig;
  retiredButServing: RetiredButServingConfig;
  shadow: ShadowConfig;
  unservedProduction: Aliased<UnservedProductionConfig> & { productionAliases?: string[] };
  retirementCandidate: Aliased<RetirementCandidateConfig>;
  missingOwner: MissingFieldConfig;
  missingCostCenter: MissingFieldConfig;
  missingLineage: Aliased<MissingLineageConfig>;
  noRetirementPlan: Aliased<NoRetirementPlanConfig>;
  unpinnedVendorModel: UnpinnedVendorModelConfig;
  rollbackDepth: Aliased<RollbackDepthConfig>;
  stale: Aliased<StaleConfig>;
}

export interface Judged {
  raised: RaisedFinding[];
  /** Per finding type, the keys judged this run. */
  evaluated: Map<string, Set<string>>;
  notes: string[];
}

/** Every policy over this run's items: one file per finding type, each pure. */
/** Every finding type a policy raises, in the order policies run. */
export const FINDING_TYPES: readonly string[] = [
  zombiePolicy,
  retiredButServingPolicy,
  shadowPolicy,
  unservedProductionPolicy,
  retirementCandidatePolicy,
  missingOwnerPolicy,
  missingCostCenterPolicy,
  missingLineagePolicy,
  noRetirementPlanPolicy,
  unpinnedVendorModelPolicy,
  rollbackDepthPolicy,
  stalePolicy,
].map((p) => p.type);

export function runPolicies(input: PolicyInput, config: PoliciesConfig): Judged {
  const aliases = { productionAliases: config.productionAliases };
  // A policy that is off judges nothing, so it neither raises nor clears a finding.
  const judge = <C extends { enabled: boolean }>(policy: Policy<C>, c: C) => ({ type: policy.type, enabled: c.enabled, result: c.enabled ? policy.evaluate(input, c) : emptyResult() });
  const results: Array<{ type: string; enabled: boolean; result: PolicyResult }> = [
    judge(zombiePolicy, config.zombie),
    judge(retiredButServingPolicy, config.retiredButServing),
    judge(shadowPolicy, config.shadow),
    judge(unservedProductionPolicy, { ...config.unservedProduction, productionAliases: config.unservedProduction.productionAliases ?? config.productionAliases }),
    judge(retirementCandidatePolicy, { ...config.retirementCandidate, ...aliases }),
    judge(missingOwnerPolicy, config.missingOwner),
    judge(missingCostCenterPolicy, config.missingCostCenter),
    judge(missingLineagePolicy, { ...config.missingLineage, ...aliases }),
    judge(noRetirementPlanPolicy, { ...config.noRetirementPlan, ...aliases }),
    judge(unpinnedVendorModelPolicy, config.unpinnedVendorModel),
    judge(rollbackDepthPolicy, { ...config.rollbackDepth, ...aliases }),
    judge(stalePolicy, { ...config.stale, ...aliases }),
  ];
  const judged: Judged = { raised: [], evaluated: new Map(), notes: [] };
  for (const { type, enabled, result } of results) {
    // An enabled policy judges what left its source too: nothing is wrong with what is no longer there.
    if (enabled) for (const key of input.goneVersions) result.evaluated.add(key);
    judged.evaluated.set(type, result.evaluated);
    for (const f of result.findings) {
      const item = input.byKey.get(f.key);
      judged.raised.push({ ...f, ...(item?.cost ? { currency: item.cost.currency } : {}) });
    }
    for (const n of result.notes) judged.notes.push(n);
  }
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
