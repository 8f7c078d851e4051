import type { Finding } from '../../inventory';
import { emptyResult, versionTitle, type Policy } from '../policy';
import { isPinned, vendorReference } from './vendor-reference';

export interface UnpinnedVendorModelConfig {
  enabled: boolean;
  severity: Finding['severity'];
  referenceKeys: string[];
  pinnedPatterns: string[];
}

/**
 * A GenAI version (one that names a vendor model under a configured tag or
 * param) calling a floating name such as `gpt-4o` or
 * `claude-3-5-sonnet-latest`: the vendor can change what answers under that
 * name, so what was evaluated is not what runs. A version naming no vendor
 * model is judged clean.
 */
export const unpinnedVendorModelPolicy: Policy<UnpinnedVendorModelConfig> = {
  type: 'unpinned-vendor-model',
  evaluate(input, config) {
    const out = emptyResult();
    const patterns = config.pinnedPatterns.map((p) => new RegExp(p));
    for (const v of input.items) {
      if (v.kind !== 'model_version') continue;
      out.evaluated.add(v.key);
      const model = input.byKey.get(v.versionOf);
      const ref = vendorReference(config.referenceKeys, [
        ['tag', v.tags],
        ['param', v.params],
        ['model tag', model?.kind === 'model' ? model.tags : undefined],
      ]);
      if (!ref || isPinned(ref.value, patterns)) continue;
      out.findings.push({
        key: v.key,
        finding: {
          type: 'unpinned-vendor-model',
          severity: config.severity,
          detail: `${versionTitle(v, v.key)} calls vendor model "${ref.value}" (${ref.where}), a floating name the vendor can repoint: pin a dated snapshot (a name like gpt-4o-2024-08-06)`,
        },
      });
    }
    return out;
  },
};
