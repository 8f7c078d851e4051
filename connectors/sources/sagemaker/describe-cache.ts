import type { ConnectorCache } from '../../../src/engine/types';

// Bumped whenever the shape of a cached answer changes, so an older state file is never misread.
const SHAPE = 'v1';

/**
 * Describe answers, asked as rarely as the data allows. `once`: at most once
 * per read, however many resources share the answer (an endpoint config or a
 * model behind several endpoints). `remembered`: kept in the connector cache
 * across reads and reused while the resource's stamp (its LastModifiedTime and
 * status, or what its listing shows) is unchanged; a full read trusts nothing
 * kept. A resource still changing (Creating, Updating…) is asked every time.
 */
export class DescribeCache {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: ConnectorCache,
    private readonly full: boolean,
  ) {}

  once<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) this.memo.set(key, (p = fetch()));
    return p;
  }

  /** `fetch` answers undefined for a resource that is gone; that is never kept. */
  async remembered<T>(key: string, stamp: string, settled: boolean, fetch: () => Promise<T | undefined>): Promise<T | undefined> {
    const at = `${SHAPE}|${key}`;
    if (settled && !this.full) {
      const hit = this.cache.get<{ stamp: string; value: T }>(at);
      if (hit && hit.stamp === stamp) return hit.value;
    }
    const value = await fetch();
    if (settled && value !== undefined) this.cache.set(at, { stamp, value });
    else this.cache.delete(at);
    return value;
  }
}

/** A cache stamp from the values that change when the resource does. */
export function stampOf(...values: unknown[]): string {
  return JSON.stringify(values);
}
