import type { Finding } from '../../inventory';
import { emptyResult, isLive, money, type Policy } from '../policy';

export interface ShadowConfig {
  enabled: boolean;
  severity: Finding['severity'];
}

/**
 * Shadow AI: a live deployment whose model links to no version registered in
 * any source — deployed, billed, and never registered. All its cost is
 * unaccounted for. An endpoint that only hosts inference components serves
 * nothing itself: its components are the deployments judged.
 */
export const shadowPolicy: Policy<ShadowConfig> = {
  type: 'shadow',
  evaluate(input, config) {
    const out = emptyResult();
    const hostOf = (d: { account?: string; region?: string; endpoint?: string }) => `${d.account ?? ''}/${d.region ?? ''}/${d.endpoint ?? ''}`;
    const hosts = new Set(input.items.flatMap((d) => (d.kind === 'deployment' && d.component ? [hostOf(d)] : [])));
    for (const d of input.items) {
      if (d.kind !== 'deployment') continue;
      out.evaluated.add(d.key);
      if (!isLive(d) || d.serves?.length || d.servesVersionKey) continue;
      if (!d.component && hosts.has(hostOf(d)) && (d.variants ?? []).every((v) => v.served.length === 0)) continue;
      const what = (d.variants ?? []).flatMap((v) => v.served.map((s) => s.modelName ?? s.modelDataUrl ?? s.image)).filter(Boolean);
      out.findings.push({
        key: d.key,
        finding: {
          type: 'shadow',
          severity: config.severity,
          detail: `serves ${what.length ? what.join(', ') : 'a model'} that no registry masync reads knows; ${money(d.cost)}`,
          ...(d.cost ? { monthlyWaste: d.cost.monthly } : {}),
        },
      });
    }
    return out;
  },
};
