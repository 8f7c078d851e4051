/**
 * The largest `first` the connector asks for and the emulator accepts. W&B
 * does not document its ceiling; its SDK pages collection aliases 1,000 at a
 * time, so 1,000 is known to be accepted.
 */
export const MAX_PAGE_SIZE = 1000;

/** What a read has to page through: per scope (a project, a registry) and artifact type, the versions of each collection. */
export interface ReadShape {
  scopes: ReadonlyArray<ReadonlyArray<number>>;
  /** Registry projects found, when registries are configured (their discovery is one query per 1,000). */
  registries?: number;
  /** Collections per page, and versions listed with each (the `pageSize` setting). */
  pageSize: number;
}

/**
 * The POSTs a read makes, and the least it can make with one query per page:
 * per scope, one per page of collections (each page carries the first
 * `pageSize` versions of every collection on it), plus, per collection with
 * more versions, one per further 1,000. The benchmark holds a sync to it.
 */
export function minimumCalls(shape: ReadShape): number {
  let calls = shape.registries === undefined ? 0 : Math.max(1, Math.ceil(shape.registries / MAX_PAGE_SIZE));
  for (const collections of shape.scopes) {
    calls += Math.max(1, Math.ceil(collections.length / shape.pageSize));
    for (const versions of collections) calls += Math.max(0, Math.ceil((versions - shape.pageSize) / MAX_PAGE_SIZE));
  }
  return calls;
}
