import { z } from 'zod';
import type { ConnectorCache } from '../../../src/engine/types';
import { datasetSchema } from '../../../src/inventory';
import type { Lineage } from './map';
import type { Run } from './wire-schemas';

/*
 * What the connector keeps of a run between reads, in the engine's per-connector
 * cache: only what map.ts needs (the lineage) and whether the run has settled.
 * A finished run's lineage does not change, so a settled entry is trusted until
 * a full read; a RUNNING or SCHEDULED run is read again every time.
 */

const SETTLED = new Set(['FINISHED', 'FAILED', 'KILLED']);

const lineageSchema = z.object({
  runName: z.string().optional(),
  userId: z.string().optional(),
  userTag: z.string().optional(),
  metrics: z.record(z.string(), z.number()),
  params: z.record(z.string(), z.string()),
  datasets: z.array(datasetSchema),
});

// `v` versions the entry's shape: an entry written by another shape is a miss, never a wrong read.
const entrySchema = z.union([
  z.object({ v: z.literal(1), status: z.string(), lineage: lineageSchema }),
  z.object({ v: z.literal(1), gone: z.literal(true) }),
]);

export type RunEntry = z.infer<typeof entrySchema>;

/** MLflow garbage-collected the run: runs/get answers 404, and run ids are never reused. */
export const GONE: RunEntry = { v: 1, gone: true };

export function entryOf(run: Run, lineage: Lineage): RunEntry {
  return { v: 1, status: run.info.status ?? '', lineage };
}

/** Whether the entry can be trusted on a later read without asking MLflow again. */
export function isSettled(entry: RunEntry): boolean {
  return 'gone' in entry || SETTLED.has(entry.status);
}

export function readRun(cache: ConnectorCache, runId: string): RunEntry | undefined {
  const parsed = entrySchema.safeParse(cache.get(cacheKey(runId)));
  return parsed.success ? parsed.data : undefined;
}

export function writeRun(cache: ConnectorCache, runId: string, entry: RunEntry): void {
  cache.set(cacheKey(runId), entry);
}

function cacheKey(runId: string): string {
  return `run:${runId}`;
}
