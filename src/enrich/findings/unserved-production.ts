import type { Finding } from '../../inventory';
import { emptyResult, type Policy } from '../policy';

export interface UnservedProductionConfig {
  enabled: boolean;
  severity: Finding['severity'];
  /** Aliases that mean "this is production" (registries without stages use aliases). */
  productionAliases: string[];
}

/**
 * A version the registry calls production (stage or alias) that no live
 * deployment serves: the registry and what runs disagree. Judged only when
 * some source reads deployments; otherwise every production version would be
 * "unserved".
 */
export const unservedProductionPolicy: Policy<UnservedProductionConfig> = {
  type: 'unserved-production',
  evaluate(input, config) {
    const out = emptyResult();
    if (!input.readsDeployments) return out;
    const aliases = new Set(config.productionAliases.map((a) => a.toLowerCase()));
    for (const v of input.items) {
      if (v.kind !== 'model_version') continue;
      out.evaluated.add(v.key);
      const production = v.stage?.toLowerCase() === 'production' || v.aliases.some((a) => aliases.has(a.toLowerCase()));
      if (!production || input.servedBy.has(v.key)) continue;
      out.findings.push({ key: v.key, finding: { type: 'unserved-production', severity: config.severity, detail: `${v.name} v${v.version} is marked production${v.stage ? ` (stage ${v.stage})` : ''}, but no live deployment serves it` } });
    }
    return out;
  },
};
