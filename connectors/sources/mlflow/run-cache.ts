import type { ConnectorCache } from '../../../src/engine/types';
import type { Dataset } from '../../../src/inventory';
import type { Lineage } from './map';
import type { Run } from './wire-schemas';

/*
 * What the connector keeps of runs between reads, in the engine's
 * per-connector cache: only what map.ts needs (the lineage) and whether the
 * run has settled. A finished run's lineage does not change, so a settled
 * entry is trusted until a full read; a RUNNING or SCHEDULED run is read
 * again every time.
 *
 * Runs are kept SHARDS to a cache entry (by a hash of the run id), each entry
 * plain JSON of compact tuples: a warm read of 100,000 versions reads 64
 * entries, not 100,000, and nothing is decompressed per run. A full read
 * writes every shard anew from what it read, so runs no version names any
 * more leave the cache then.
 */

const SHARDS = 64;
const SETTLED = new Set(['FINISHED', 'FAILED', 'KILLED']);
// The shape of a shard's entries: a key under another version is never read as this one.
const SHARD_KEY = 'runs.v2:';

/** A run's lineage as the cache keeps it, or that MLflow no longer has the run. */
export type RunEntry = { status: string; lineage: Lineage } | { gone: true };

/** MLflow garbage-collected the run: runs/get answers 404, and run ids are never reused. */
export const GONE: RunEntry = { gone: true };

/** [status, runName, userId, userTag, metrics, params, datasets]; 0 for a gone run. */
type Packed = 0 | [string, string | null, string | null, string | null, Record<string, number>, Record<string, string>, Dataset[]];

export function entryOf(run: Run, lineage: Lineage): RunEntry {
  return { status: run.info.status ?? '', lineage };
}

/** Whether the entry can be trusted on a later read without asking MLflow again. */
export function isSettled(entry: RunEntry): boolean {
  return 'gone' in entry || SETTLED.has(entry.status);
}

/**
 * One read's view of the cached runs: shards load when a run in them is first
 * asked for, and the shards a read changed are written back once, by `save`.
 * A full read starts from nothing and writes every shard.
 */
export class RunStore {
  private readonly shards = new Map<number, Map<string, Packed>>();
  private readonly dirty = new Set<number>();

  constructor(
    private readonly cache: ConnectorCache,
    private readonly fresh: boolean,
  ) {}

  /** Whether the cache holds no run at all (a first read): lineage will be fetched, so it is worth preparing for. */
  isEmpty(): boolean {
    if (this.fresh) return true;
    for (let i = 0; i < SHARDS; i++) if (this.shard(i).size > 0) return false;
    return true;
  }

  get(runId: string): RunEntry | undefined {
    const packed = this.shard(shardOf(runId)).get(runId);
    return packed === undefined ? undefined : unpackEntry(packed);
  }

  set(runId: string, entry: RunEntry): void {
    const i = shardOf(runId);
    this.shard(i).set(runId, packEntry(entry));
    this.dirty.add(i);
  }

  /** Write back what this read changed (every shard, after a full read). */
  save(): void {
    for (let i = 0; i < SHARDS; i++) {
      if (!this.fresh && !this.dirty.has(i)) continue;
      const runs = this.shard(i);
      if (runs.size === 0) this.cache.delete(`${SHARD_KEY}${i}`);
      else this.cache.set(`${SHARD_KEY}${i}`, Object.fromEntries(runs));
    }
    this.dirty.clear();
  }

  private shard(i: number): Map<string, Packed> {
    let runs = this.shards.get(i);
    if (!runs) {
      runs = new Map();
      const stored = this.fresh ? undefined : this.cache.get<unknown>(`${SHARD_KEY}${i}`);
      if (stored !== null && typeof stored === 'object' && !Array.isArray(stored)) {
        // An entry that is not a well-formed tuple is a miss: the run is read from MLflow again.
        for (const [id, packed] of Object.entries(stored)) if (isPacked(packed)) runs.set(id, packed);
      }
      this.shards.set(i, runs);
    }
    return runs;
  }
}

/** FNV-1a: spreads run ids (hex UUIDs, or anything a server made up) evenly over the shards. */
function shardOf(runId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    h ^= runId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SHARDS;
}

function packEntry(e: RunEntry): Packed {
  if ('gone' in e) return 0;
  const l = e.lineage;
  return [e.status, l.runName ?? null, l.userId ?? null, l.userTag ?? null, l.metrics, l.params, l.datasets];
}

function unpackEntry(p: Packed): RunEntry {
  if (p === 0) return GONE;
  const [status, runName, userId, userTag, metrics, params, datasets] = p;
  const lineage: Lineage = { metrics, params, datasets };
  if (runName !== null) lineage.runName = runName;
  if (userId !== null) lineage.userId = userId;
  if (userTag !== null) lineage.userTag = userTag;
  return { status, lineage };
}

const optionalText = (v: unknown) => v === null || typeof v === 'string';
const isRecord = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

function isPacked(p: unknown): p is Packed {
  if (p === 0) return true;
  return (
    Array.isArray(p) &&
    p.length === 7 &&
    typeof p[0] === 'string' &&
    optionalText(p[1]) &&
    optionalText(p[2]) &&
    optionalText(p[3]) &&
    isRecord(p[4]) &&
    Object.values(p[4] as object).every((m) => typeof m === 'number') &&
    isRecord(p[5]) &&
    Object.values(p[5] as object).every((v) => typeof v === 'string') &&
    Array.isArray(p[6]) &&
    (p[6] as unknown[]).every((d) => isRecord(d) && typeof (d as { name?: unknown }).name === 'string')
  );
}
