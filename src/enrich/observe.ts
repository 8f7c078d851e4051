import type { InventoryItem } from '../inventory';
import type { Observation } from '../state/observations';

/** What each deployment serves on what hardware this run, for the observation intervals. */
export function observationsOf(items: readonly InventoryItem[]): Observation[] {
  const out: Observation[] = [];
  for (const d of items) {
    if (d.kind !== 'deployment') continue;
    out.push({
      key: d.key,
      serves: [...(d.serves ?? (d.servesVersionKey ? [d.servesVersionKey] : []))].sort(),
      ...(d.instanceType !== undefined ? { instanceType: d.instanceType } : {}),
      ...(d.instanceCount !== undefined ? { instanceCount: d.instanceCount } : {}),
      status: d.status,
      detail: {
        variants: (d.variants ?? []).map((v) => ({
          name: v.name,
          ...(v.instanceType ? { instanceType: v.instanceType } : {}),
          ...(v.currentInstanceCount !== undefined ? { count: v.currentInstanceCount } : {}),
          ...(v.serverless ? { serverless: v.serverless } : {}),
          ...(v.servesVersionKey ? { serves: v.servesVersionKey } : {}),
        })),
        ...(d.copyCount !== undefined ? { copyCount: d.copyCount } : {}),
      },
    });
  }
  return out;
}
