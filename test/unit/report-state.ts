import { runSync } from '../../src/app/sync-run';
import type { DeploymentItem, InventoryItem, ItemKind } from '../../src/inventory';
import { gatherReport, type ReportData } from '../../src/report';
import { KeyIds } from '../../src/state/keys';
import { fixedClock } from '../support/deps';
import { MemorySink, MemorySource, model, version } from '../support/memory';
import { memoryRuntime, runBaseFor, type MemoryRuntime } from '../support/runtime';

/** A memory source that also lists deployments (`mem://reg/endpoints/…`). */
class FleetSource extends MemorySource {
  override kindOfKey(key: string): ItemKind | undefined {
    return key.startsWith(`mem://${this.name}/endpoints/`) ? 'deployment' : super.kindOfKey(key);
  }
}

export function endpoint(name: string, instanceType: string, count: number, modelDataUrl: string, extra: Partial<DeploymentItem> = {}): InventoryItem {
  return {
    kind: 'deployment',
    key: `mem://reg/endpoints/${name}`,
    source: 'reg',
    name,
    observedAt: '2026-11-23T12:00:00.000Z',
    tags: {},
    links: {},
    endpoint: name,
    status: 'InService',
    instanceType,
    instanceCount: count,
    variants: [{ name: 'AllTraffic', instanceType, currentInstanceCount: count, served: [{ modelDataUrl }] }],
    ...extra,
  };
}

export const FIRST_RUN = '2026-11-20T08:00:00.000Z';
export const SECOND_RUN = '2026-11-23T08:00:00.000Z';

/**
 * State built by two real syncs into a memory sink. First: fraud (v1 in
 * production, served by fraud-prod; v2 registered) and churn (v1 in
 * production, no run, no metrics, served by nothing), and a shadow endpoint.
 * Then v2 of fraud is deleted, churn v1 gets an endpoint, and a second shadow
 * endpoint appears: one retirement, one finding cleared, one raised.
 */
export async function twoSyncs(extra: InventoryItem[] = []): Promise<MemoryRuntime> {
  const src = new FleetSource('reg');
  const fraud = model('reg', 'fraud', { owner: 'alice', costCenter: 'Risk Analytics' });
  src.items = [
    fraud,
    version('reg', 'fraud', '1', { stage: 'Production', owner: 'alice', runId: 'r1', metrics: { auc: 0.93 }, artifactUri: 's3://models/fraud/1', costCenter: 'Risk Analytics' }),
    version('reg', 'fraud', '2', { artifactUri: 's3://models/fraud/2' }),
    model('reg', 'churn', { costCenter: 'Customer Growth' }),
    version('reg', 'churn', '1', { stage: 'Production', artifactUri: 's3://models/churn/1' }),
    endpoint('fraud-prod', 'ml.m5.large', 2, 's3://models/fraud/1/model.tar.gz', { owner: 'alice' }),
    endpoint('sentiment-poc', 'ml.c5.xlarge', 1, 's3://scratch/sentiment/model.tar.gz'),
    ...extra,
  ];
  const rt = memoryRuntime({ sources: [src], sinks: [new MemorySink('cmdb')] });
  const sync = (at: string) => syncAt(rt, at);
  await sync(FIRST_RUN);
  src.items = [
    ...src.items.filter((i) => i.key !== 'mem://reg/models/fraud/versions/2'),
    endpoint('churn-scoring', 'ml.m5.large', 1, 's3://models/churn/1/model.tar.gz'),
    endpoint('llm-poc', 'ml.c5.xlarge', 2, 's3://scratch/llm/model.tar.gz'),
  ];
  await sync(SECOND_RUN);
  return rt;
}

/** One more sync, as of `at`, of whatever the runtime's source holds now. */
export async function syncAt(rt: MemoryRuntime, at: string): Promise<void> {
  rt.clock = fixedClock(at);
  const r = await runSync(rt, { allowMassRetire: true, waitMs: 0 }, runBaseFor(rt));
  if (r.status !== 'ok') throw new Error(`sync ${r.status}: ${r.errors.join('; ')}`);
}

export function reportOf(rt: MemoryRuntime, now = '2026-11-23T09:00:00.000Z'): ReportData {
  return gatherReport(rt.db, new KeyIds(rt.db), { now: new Date(now) });
}
