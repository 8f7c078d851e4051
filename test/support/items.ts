import type { InventoryItem, ModelItem, ModelVersionItem } from '../../src/inventory';

const OBSERVED_AT = '2026-11-23T12:00:00.000Z';

/** A registered model item with every required field empty, for tests to fill in. */
export function modelItem(key: string, source: string, name: string, extra: Partial<ModelItem> = {}): ModelItem {
  return { kind: 'model', key, source, name, observedAt: OBSERVED_AT, tags: {}, links: {}, aliases: {}, latestVersions: {}, ...extra };
}

/** A version of `model`, keyed below it. */
export function versionItem(model: InventoryItem, version: string, extra: Partial<ModelVersionItem> = {}): ModelVersionItem {
  return {
    kind: 'model_version',
    key: `${model.key}/versions/${version}`,
    source: model.source,
    name: model.name,
    observedAt: OBSERVED_AT,
    tags: {},
    links: {},
    versionOf: model.key,
    version,
    aliases: [],
    status: 'READY',
    metrics: {},
    params: {},
    datasets: [],
    ...extra,
  };
}
