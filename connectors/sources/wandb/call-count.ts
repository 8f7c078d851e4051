import { MAX_PAGE_SIZE } from './paging';
import { RUN_BATCH } from './run-lineage';

/** What a read has to page through: per scope (a project, a registry) and artifact type, the versions of each collection. */
export interface ReadShape {
  scopes: ReadonlyArray<ReadonlyArray<number>>;
  /** Registry projects found, when registries are configured (their discovery is one query per 1,000). */
  registries?: number;
  /** Collections per page, and versions listed with each (the `pageSize` setting). */
  pageSize: number;
  /**
   * Runs whose lineage a warm read asks for apart, 50 per POST: those behind
   * versions not yet committed or runs not yet settled (finished, failed,
   * crashed, killed), whose config and summary may still change. A cold
   * (or full) read carries every run inline and needs none.
   */
  runsToFetch?: number;
}

/**
 * The POSTs a read makes, and the least it can make with one query per page:
 * per scope, one per page of collections (each page carries the first
 * `pageSize` versions of every collection on it), plus, per collection with
 * more versions, one per further 1,000; then one per 50 runs whose lineage
 * is not settled in the cache. The benchmark holds a sync to it.
 */
export function minimumCalls(shape: ReadShape): number {
  let calls = shape.registries === undefined ? 0 : Math.max(1, Math.ceil(shape.registries / MAX_PAGE_SIZE));
  for (const collections of shape.scopes) {
    calls += Math.max(1, Math.ceil(collections.length / shape.pageSize));
    for (const versions of collections) calls += Math.max(0, Math.ceil((versions - shape.pageSize) / MAX_PAGE_SIZE));
  }
  return calls + Math.ceil((shape.runsToFetch ?? 0) / RUN_BATCH);
}

