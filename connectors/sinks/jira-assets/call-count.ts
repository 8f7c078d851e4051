/** What a run of the Assets sink has to read and write, as the workspace holds it. */
export interface AssetsRunShape {
  deployment: 'cloud' | 'datacenter';
  /** The Cloud workspace id is the cache's from the run before (false: a first or full run). */
  warm: boolean;
  /** Per mapped object type, the managed objects its AQL search returns (changed since the run before, or all). */
  objectsPerType: readonly number[];
  /** Objects per AQL page: the most Assets returns. */
  pageSize: number;
  /** Distinct owners looked up in Jira's user search. */
  owners: number;
  /** Records created, updated or retired, and relations drawn or removed. */
  writes: { records: number; relations: number };
  /** Relations whose holder this run created: Assets would take each inside its holder's create. */
  foldable: number;
}

export interface AssetsCallCount {
  reads: number;
  writes: number;
  /** Round trips that must follow one another, per phase. */
  path: { read: number; resolve: number; write: number };
}

/**
 * The fewest calls Assets allows for a run. Reads: the workspace id (Cloud,
 * unless cached), the catalog (schema list, the schema's object types, each
 * mapped type's attributes), a page per `pageSize` managed objects of each
 * type (at least one per type), one user search per owner. Writes: Assets
 * has no batch write, so one call per record written; a reference rides in
 * its holder's create when the holder is new, so only relations on objects
 * that already existed cost an update of their own.
 */
export function assetsCallBound(s: AssetsRunShape, inFlight: number): AssetsCallCount {
  const workspace = s.deployment === 'cloud' && !s.warm ? 1 : 0;
  const catalog = 2 + s.objectsPerType.length;
  const pages = s.objectsPerType.map((n) => Math.max(1, Math.ceil(n / s.pageSize)));
  const reads = workspace + catalog + pages.reduce((a, b) => a + b, 0) + s.owners;
  const separate = Math.max(0, s.writes.relations - s.foldable);
  const lanes = Math.max(1, inFlight);
  return {
    reads,
    writes: s.writes.records + separate,
    // Types are searched side by side, a type's pages in turn; owners all at once.
    path: { read: workspace + 3 + Math.max(0, ...pages), resolve: s.owners > 0 ? 1 : 0, write: Math.ceil(s.writes.records / lanes) + Math.ceil(separate / lanes) },
  };
}
