import type { Finding, ModelVersionItem } from '../../inventory';
import { emptyResult, isLive, money, versionTitle, type Policy } from '../policy';

export interface RetiredButServingConfig {
  enabled: boolean;
  severity: Finding['severity'];
}

/** Why a version counts as retired, or undefined when it does not. */
function retiredBecause(v: ModelVersionItem | undefined, key: string, gone: ReadonlySet<string>): string | undefined {
  if (!v) return gone.has(key) ? 'deleted from its registry' : undefined;
  if (v.stage?.toLowerCase() === 'archived') return 'archived';
  if (v.approval?.toLowerCase() === 'rejected') return 'rejected';
  if (['deleted', 'failed_registration'].includes(v.status.toLowerCase())) return v.status.toLowerCase().replace('_', ' ');
  return undefined;
}

/** A live endpoint still serving a version its registry archived, rejected or deleted: running what nobody stands behind. */
export const retiredButServingPolicy: Policy<RetiredButServingConfig> = {
  type: 'retired-but-serving',
  evaluate(input, config) {
    const out = emptyResult();
    for (const d of input.items) {
      if (d.kind !== 'deployment') continue;
      const serves = d.serves ?? (d.servesVersionKey ? [d.servesVersionKey] : []);
      if (serves.length === 0) continue;
      out.evaluated.add(d.key);
      if (!isLive(d)) continue;
      const retired = serves
        .map((key) => {
          const v = input.byKey.get(key);
          const why = retiredBecause(v?.kind === 'model_version' ? v : undefined, key, input.goneVersions);
          return why ? `${versionTitle(v?.kind === 'model_version' ? v : undefined, key)} (${why})` : undefined;
        })
        .filter((x): x is string => x !== undefined);
      if (retired.length === 0) continue;
      out.findings.push({
        key: d.key,
        finding: { type: 'retired-but-serving', severity: config.severity, detail: `serves ${retired.join(', ')}; ${money(d.cost)}`, ...(d.cost ? { monthlyWaste: d.cost.monthly } : {}) },
      });
    }
    return out;
  },
};
