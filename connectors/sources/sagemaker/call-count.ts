/** What one account × region holds, as the read sees it. */
export interface ScopeCounts {
  groups: number;
  packages: number;
  endpoints: number;
  /** Distinct endpoint configs behind the endpoints. */
  endpointConfigs: number;
  /** Distinct models behind the endpoints and inference components. */
  models: number;
  components: number;
}

export interface ReadCounts {
  scopes: ScopeCounts[];
  pageSize: number;
  /** Accounts read through a role: one AssumeRole each per read (until the session nears expiry). */
  assumedRoles?: number;
  /** Every cached answer is still good (nothing changed since the last read, and it is not a full read). */
  warm?: boolean;
}

/**
 * The fewest AWS calls a read makes, for the benchmark to hold the connector
 * to. Per scope: every page of the four listings (at least one each); on a
 * cold read also one Describe and one ListTags per package, endpoint, model
 * and component, one ListTags per group and one Describe per endpoint config;
 * on a warm read nothing but the listings.
 */
export function minimumCalls(counts: ReadCounts): number {
  const pages = (n: number) => Math.max(1, Math.ceil(n / counts.pageSize));
  let calls = counts.assumedRoles ?? 0;
  for (const s of counts.scopes) {
    calls += pages(s.groups) + pages(s.packages) + pages(s.endpoints) + pages(s.components);
    if (!counts.warm) calls += s.groups + 2 * s.packages + 2 * s.endpoints + s.endpointConfigs + 2 * s.models + 2 * s.components;
  }
  return calls;
}
