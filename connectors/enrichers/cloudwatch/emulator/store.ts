/**
 * What the CloudWatch emulator holds: per account, region, namespace, metric
 * and dimension set, the Sum of each UTC day that had data. Days without data
 * have no entry, as CloudWatch has no datapoint for them. Series are indexed by
 * their full identity, so a query is one map lookup plus its days.
 */

export interface DimensionValue {
  Name: string;
  Value: string;
}

export interface SeriesId {
  account: string;
  region: string;
  namespace: string;
  metric: string;
  dimensions: readonly DimensionValue[];
}

/** How CloudWatch answers for a series when it cannot give all of it. */
export type ForcedStatus = 'PartialData' | 'InternalError' | 'Forbidden';

// Dimension order does not make a different metric.
function seriesKey(s: SeriesId): string {
  const dims = [...s.dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)).map((d) => [d.Name, d.Value]);
  return JSON.stringify([s.account, s.region, s.namespace, s.metric, dims]);
}

export class MetricStore {
  private readonly series = new Map<string, Map<string, number>>();
  private readonly forced = new Map<string, ForcedStatus>();

  /** Adds `value` to the day's Sum (YYYY-MM-DD, UTC). */
  add(id: SeriesId, day: string, value: number): void {
    const key = seriesKey(id);
    const days = this.series.get(key) ?? new Map<string, number>();
    days.set(day, (days.get(day) ?? 0) + value);
    this.series.set(key, days);
  }

  /** Day (YYYY-MM-DD) → Sum, for the days the series had data. */
  daysOf(id: SeriesId): ReadonlyMap<string, number> | undefined {
    return this.series.get(seriesKey(id));
  }

  force(id: SeriesId, status: ForcedStatus | undefined): void {
    if (status) this.forced.set(seriesKey(id), status);
    else this.forced.delete(seriesKey(id));
  }

  forcedStatus(id: SeriesId): ForcedStatus | undefined {
    return this.forced.get(seriesKey(id));
  }
}
