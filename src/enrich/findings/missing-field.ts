import type { Finding, InventoryItem, ItemKind } from '../../inventory';
import { titleOf } from '../../inventory';
import { emptyResult, isLive, type Policy } from '../policy';

export interface MissingFieldConfig {
  enabled: boolean;
  severity: Finding['severity'];
  /** Which kinds of item must have it; deployments are judged while they are live (they bill). */
  kinds: ItemKind[];
}

/**
 * A governance field an asset must carry (owner, cost center): every item of
 * the configured kinds without it is a finding. A deployment that stopped
 * serving is judged clean: nobody pays for it any more.
 */
export function missingFieldPolicy(type: string, field: 'owner' | 'costCenter', what: string): Policy<MissingFieldConfig> {
  return {
    type,
    evaluate(input, config) {
      const out = emptyResult();
      const kinds = new Set(config.kinds);
      for (const item of input.items) {
        if (!kinds.has(item.kind)) continue;
        out.evaluated.add(item.key);
        if (item[field]?.trim() || (item.kind === 'deployment' && !isLive(item))) continue;
        out.findings.push({ key: item.key, finding: { type, severity: config.severity, detail: `${label(item)} has no ${what}: ${hint(item.kind, what)}` } });
      }
      return out;
    },
  };
}

function label(item: InventoryItem): string {
  const kind = item.kind === 'model' ? 'model' : item.kind === 'model_version' ? 'version' : 'deployment';
  return `${kind} ${titleOf(item)}`;
}

function hint(kind: ItemKind, what: string): string {
  return kind === 'deployment' ? `tag the endpoint with its ${what}` : `tag the model (or version) in its registry with its ${what}`;
}
