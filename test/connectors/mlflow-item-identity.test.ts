import { MlflowClient, mlflowErrorCode, mlflowErrorMessage, type ModelVersion } from '../../connectors/sources/mlflow/client';
import { keyNamespace, uiBase } from '../../connectors/sources/mlflow/config';
import { seedSandbox } from '../../connectors/sources/mlflow/fixtures/sandbox';
import { lineageOf, summarize, type Lineage, type MapSettings, type ModelSummary } from '../../connectors/sources/mlflow/map';
import { mlflowSource } from '../../connectors/sources/mlflow';
import { memoryCache } from '../../src/engine/types';
import { inventoryItemSchema, type InventoryItem } from '../../src/inventory';
import { testDeps } from '../support/deps';
import { emulator, recordingCtx, stopEmulators } from './mlflow-helpers';

afterEach(stopEmulators);

/*
 * The read maps a version field by field and validates items without zod's
 * copy. Its items must hold exactly what the plain path gives: every version
 * mapped as one object with its absent fields dropped, each run fetched on
 * its own, and every item parsed (and so copied) by the inventory's schema.
 */

const firstOf = (...values: Array<string | undefined>) => values.find((v) => v !== undefined && v !== '');
const nonEmpty = (s: string | undefined) => (s === undefined || s === '' ? undefined : s);
const isoOf = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function plainVersionItem(s: MapSettings, v: ModelVersion, model: ModelSummary, lineage: Lineage | undefined): InventoryItem {
  const tags = Object.fromEntries(v.tags.map((t) => [t.key, t.value]));
  const modelKey = `mlflow://${s.namespace}/models/${encodeURIComponent(v.name)}`;
  const all: Record<string, unknown> = {
    kind: 'model_version',
    key: `${modelKey}/versions/${v.version}`,
    source: s.source,
    name: v.name,
    observedAt: s.observedAt,
    tags,
    links: { ui: `${s.uiUrl}/#/models/${encodeURIComponent(v.name)}/versions/${v.version}` },
    description: nonEmpty(v.description),
    owner: firstOf(tags[s.ownerTag], model.tags[s.ownerTag], v.user_id, lineage?.userId, lineage?.userTag),
    costCenter: firstOf(tags[s.costCenterTag], model.tags[s.costCenterTag]),
    createdAt: isoOf(v.creation_timestamp),
    updatedAt: isoOf(v.last_updated_timestamp),
    versionOf: modelKey,
    version: v.version,
    stage: v.current_stage && v.current_stage !== 'None' ? v.current_stage : undefined,
    aliases: Object.entries(model.aliases)
      .filter(([, version]) => version === v.version)
      .map(([alias]) => alias)
      .sort(),
    status: v.status ?? '',
    artifactUri: nonEmpty(v.source),
    runId: nonEmpty(v.run_id),
    runName: lineage?.runName,
    metrics: lineage?.metrics ?? {},
    params: lineage?.params ?? {},
    datasets: lineage?.datasets ?? [],
  };
  return inventoryItemSchema.parse(Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)));
}

/** Every version item the plain path gives, by key: listings, then one runs/get per version. */
async function plainVersionItems(client: MlflowClient, s: MapSettings): Promise<Map<string, InventoryItem>> {
  const models = new Map<string, ModelSummary>();
  for (let token: string | undefined, first = true; first || token; first = false) {
    const page = await client.searchRegisteredModels(token, { maxResults: 3 });
    for (const m of page.items) models.set(m.name, summarize(m));
    token = page.nextPageToken;
  }
  const out = new Map<string, InventoryItem>();
  for (let token: string | undefined, first = true; first || token; first = false) {
    const page = await client.searchModelVersions(token, { maxResults: 4 });
    for (const v of page.items) {
      const run = v.run_id ? await client.getRun(v.run_id) : undefined;
      const item = plainVersionItem(s, v, models.get(v.name) as ModelSummary, run && lineageOf(run));
      out.set(item.key, item);
    }
    token = page.nextPageToken;
  }
  return out;
}

describe('mlflow source: items as the plain path builds them', () => {
  it('reads, cold and then from the lineage cache, the same items as mapping each version whole and parsing it with zod', async () => {
    const emu = await emulator((e) => void seedSandbox(e));
    const deps = testDeps();
    const config = mlflowSource.schema.parse({ name: 'mlflow-test', type: 'mlflow', url: emu.url, versionsPageSize: 5, runsBatchSize: 3 });
    const source = mlflowSource.create(config, deps);
    const cache = memoryCache();
    const reads: InventoryItem[][] = [];
    for (let i = 0; i < 2; i++) {
      const { ctx, skipped } = recordingCtx(deps, { cache });
      const items: InventoryItem[] = [];
      for await (const item of source.list(ctx)) items.push(item);
      expect(skipped).toEqual([]);
      reads.push(items);
    }

    const http = deps.http({ name: config.name, baseURL: emu.url, errorMessage: mlflowErrorMessage, errorCode: mlflowErrorCode });
    const settings: MapSettings = {
      source: config.name,
      namespace: keyNamespace(config),
      uiUrl: uiBase(config),
      ownerTag: config.ownerTag,
      costCenterTag: config.costCenterTag,
      observedAt: deps.clock.now().toISOString(),
    };
    const plain = await plainVersionItems(new MlflowClient(http, config.name), settings);
    expect(plain.size).toBeGreaterThan(10);
    for (const items of reads) {
      const versions = items.filter((i) => i.kind === 'model_version');
      expect(new Map(versions.map((v) => [v.key, v]))).toEqual(plain);
      // Models are mapped as before; what zod would return of any item is the item itself.
      for (const item of items) expect(item).toEqual(inventoryItemSchema.parse(item));
    }
    // The edge cases of the seed are in what was compared: lineage, a version without a run, aliases, a gone run.
    const all = [...plain.values()];
    expect(all.some((v) => v.kind === 'model_version' && v.datasets.length > 0 && Object.keys(v.metrics).length > 0)).toBe(true);
    expect(all.some((v) => v.kind === 'model_version' && v.runId === undefined)).toBe(true);
    expect(all.some((v) => v.kind === 'model_version' && v.aliases.length > 0)).toBe(true);
    expect(all.some((v) => v.kind === 'model_version' && v.runId !== undefined && Object.keys(v.metrics).length === 0)).toBe(true);
  });
});
