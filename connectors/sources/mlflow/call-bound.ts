/** What one read of an MLflow registry has to fetch, and the page sizes it fetches with. */
export interface MlflowReadSize {
  models: number;
  versions: number;
  /** Experiments on the server, deleted ones included. */
  experiments: number;
  /** Runs whose lineage is not in the cache (or all, on a full read) and that go through runs/search. */
  runsToFetch: number;
  /** Runs read with runs/get: ids outside the filter's safe alphabet, and ids runs/search did not return. */
  runsOneByOne?: number;
  pageSizes: { models: number; versions: number; experiments: number; runsBatch: number };
}

/**
 * The fewest MLflow calls a read of this size can make with these page sizes:
 * every listing takes at least one page; experiments are listed, and runs
 * searched, only when some run has to be fetched. The benchmark reports the
 * calls a read made against it.
 */
export function mlflowCallBound(r: MlflowReadSize): number {
  const pagesOf = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  const listings = pagesOf(r.models, r.pageSizes.models) + pagesOf(r.versions, r.pageSizes.versions);
  const runs = r.runsToFetch > 0 ? pagesOf(r.experiments, r.pageSizes.experiments) + Math.ceil(r.runsToFetch / r.pageSizes.runsBatch) : 0;
  return listings + runs + (r.runsOneByOne ?? 0);
}
