import type { Finding, ModelVersionItem } from '../../inventory';
import { emptyResult, versionTitle, type Policy } from '../policy';
import { aliasSet, isProduction } from './production';

export interface MissingLineageConfig {
  enabled: boolean;
  severity: Finding['severity'];
  productionOnly: boolean;
  productionAliases: string[];
}

/** Lineage: the run that trained it, a dataset pinned by digest, or the parameters it was trained with. */
export function hasLineage(v: ModelVersionItem): boolean {
  return Boolean(v.runId) || v.datasets.some((d) => Boolean(d.digest)) || Object.keys(v.params).length > 0;
}

/** A version nobody can say how it was trained: no run, no dataset digest, no params. */
export const missingLineagePolicy: Policy<MissingLineageConfig> = {
  type: 'missing-lineage',
  evaluate(input, config) {
    const out = emptyResult();
    const aliases = aliasSet(config.productionAliases);
    for (const v of input.items) {
      if (v.kind !== 'model_version') continue;
      out.evaluated.add(v.key);
      if ((config.productionOnly && !isProduction(v, aliases)) || hasLineage(v)) continue;
      const datasets = v.datasets.length ? ` (its ${v.datasets.length} dataset(s) carry no digest)` : '';
      out.findings.push({
        key: v.key,
        finding: { type: 'missing-lineage', severity: config.severity, detail: `${versionTitle(v, v.key)} has no training run, no dataset digest and no params${datasets}: register it from the run that trained it` },
      });
    }
    return out;
  },
};
