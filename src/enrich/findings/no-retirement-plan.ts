import type { Finding } from '../../inventory';
import { emptyResult, versionTitle, type Policy } from '../policy';
import { aliasSet, isProduction } from './production';

export interface NoRetirementPlanConfig {
  enabled: boolean;
  severity: Finding['severity'];
  productionAliases: string[];
  /** The tag holding each part of the plan. */
  tags: { replacementCriterion: string; replacementCandidate: string; cutoverSteps: string; dataDeletionPlan: string };
}

const PARTS: Array<[keyof NoRetirementPlanConfig['tags'], string]> = [
  ['replacementCriterion', 'replacement criterion'],
  ['replacementCandidate', 'replacement candidate'],
  ['cutoverSteps', 'cutover steps'],
  ['dataDeletionPlan', 'data deletion plan'],
];

/**
 * A production version without a plan for its end: when it is replaced, by
 * what, how traffic moves, and what happens to its data. Each part is a tag
 * on the version or, for every version at once, on its model.
 */
export const noRetirementPlanPolicy: Policy<NoRetirementPlanConfig> = {
  type: 'no-retirement-plan',
  evaluate(input, config) {
    const out = emptyResult();
    const aliases = aliasSet(config.productionAliases);
    for (const v of input.items) {
      if (v.kind !== 'model_version') continue;
      out.evaluated.add(v.key);
      if (!isProduction(v, aliases)) continue;
      const model = input.byKey.get(v.versionOf);
      const modelTags = model?.kind === 'model' ? model.tags : {};
      const missing = PARTS.filter(([part]) => !(v.tags[config.tags[part]]?.trim() || modelTags[config.tags[part]]?.trim()));
      if (missing.length === 0) continue;
      const list = missing.map(([part, name]) => `${name} (tag ${config.tags[part]})`).join(', ');
      out.findings.push({ key: v.key, finding: { type: 'no-retirement-plan', severity: config.severity, detail: `${versionTitle(v, v.key)} is in production without a retirement plan: missing ${list}` } });
    }
    return out;
  },
};
