import type { Finding } from '../../inventory';
import { emptyResult, versionTitle, type Policy } from '../policy';
import { aliasSet, families, isKept, ordinal } from './production';

export interface RollbackDepthConfig {
  enabled: boolean;
  severity: Finding['severity'];
  productionAliases: string[];
  minVersions: number;
}

/**
 * A production model with too few earlier versions left to roll back to:
 * those archived, rejected or deleted do not count. Judged on the model; a
 * model with nothing in production is judged clean.
 */
export const rollbackDepthPolicy: Policy<RollbackDepthConfig> = {
  type: 'rollback-depth',
  evaluate(input, config) {
    const out = emptyResult();
    for (const f of families(input.items, aliasSet(config.productionAliases))) {
      out.evaluated.add(f.model.key);
      const live = f.production;
      if (!live) continue;
      const kept = f.versions.filter((v) => ordinal(v) < ordinal(live) && isKept(v)).sort((a, b) => ordinal(a) - ordinal(b));
      if (kept.length >= config.minVersions) continue;
      const which = kept.length ? ` (${kept.map((v) => `v${v.version}`).join(', ')})` : '';
      out.findings.push({
        key: f.model.key,
        finding: {
          type: 'rollback-depth',
          severity: config.severity,
          detail: `${versionTitle(live, live.key)} is in production with ${kept.length} earlier version(s) kept to roll back to${which}; the policy asks for ${config.minVersions}: keep earlier versions rather than archive or delete them`,
        },
      });
    }
    return out;
  },
};
