import type { CheckResult, Source } from '../../src/engine/types';
import type { DeploymentItem, InventoryItem, ItemKind, ModelItem, ModelVersionItem } from '../../src/inventory';
import { runSync, type SyncResult } from '../../src/app/sync-run';
import { modelItem, versionItem } from './items';
import { MemorySink } from './memory';
import { memoryRuntime, runBaseFor, type MemoryRuntime } from './runtime';

/**
 * A source holding models, versions and deployments, as a registry plus a
 * serving platform would: a deployment names the version it serves by a
 * `fleet:<version key>` reference this source resolves (as SageMaker resolves
 * a model package ARN).
 */
export class FleetSource implements Source {
  readonly type = 'fleet';
  items: InventoryItem[] = [];
  constructor(readonly name: string) {}
  kindOfKey(key: string): ItemKind | undefined {
    if (!key.startsWith(`fleet://${this.name}/`)) return undefined;
    if (key.includes('/endpoints/')) return 'deployment';
    return key.includes('/versions/') ? 'model_version' : 'model';
  }
  keyOfReference(reference: string): string | undefined {
    return reference.startsWith('fleet:') ? reference.slice('fleet:'.length) : undefined;
  }
  async *list(): AsyncIterable<InventoryItem> {
    yield* this.items;
  }
  async check(): Promise<CheckResult[]> {
    return [];
  }
}

const AT = '2026-01-01T00:00:00.000Z';

export function fleetModel(source: string, name: string, extra: Partial<ModelItem> = {}): ModelItem {
  return modelItem(`fleet://${source}/models/${name}`, source, name, { observedAt: AT, ...extra });
}

export function fleetVersion(model: ModelItem, version: string, extra: Partial<ModelVersionItem> = {}): ModelVersionItem {
  return versionItem(model, version, { observedAt: AT, ...extra });
}

/** A live endpoint serving `serves` (a version key) on `count` instances of `type`. */
export function fleetEndpoint(source: string, endpoint: string, serves: string | undefined, type = 'ml.m5.large', count = 1, extra: Partial<DeploymentItem> = {}): DeploymentItem {
  return {
    kind: 'deployment',
    key: `fleet://${source}/endpoints/${endpoint}`,
    source,
    name: endpoint,
    observedAt: AT,
    tags: {},
    links: {},
    endpoint,
    status: 'InService',
    createdAt: '2025-06-01T00:00:00.000Z',
    variant: 'AllTraffic',
    instanceType: type,
    instanceCount: count,
    variants: [{ name: 'AllTraffic', instanceType: type, currentInstanceCount: count, served: serves ? [{ modelPackage: `fleet:${serves}` }] : [{ image: 'custom:latest' }] }],
    ...extra,
  };
}

/** A memory runtime over one fleet source and a memory sink, whose clock the test moves. */
export function fleetRuntime(source: FleetSource, statePath?: string): MemoryRuntime & { at(iso: string): void; sink: MemorySink } {
  const sink = new MemorySink('cmdb');
  const rt = memoryRuntime({ sources: [source], sinks: [sink], ...(statePath ? { statePath } : {}) });
  let now = AT;
  rt.clock = { now: () => new Date(now) };
  return Object.assign(rt, { at: (iso: string) => void (now = new Date(iso).toISOString()), sink });
}

/** One sync at `iso`. */
export async function syncAt(rt: ReturnType<typeof fleetRuntime>, iso: string): Promise<SyncResult> {
  rt.at(iso);
  return runSync(rt, { allowMassRetire: true, waitMs: 0, concurrency: 2 }, runBaseFor(rt));
}
