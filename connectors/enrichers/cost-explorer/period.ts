/*
 * Which days to ask Cost Explorer for. Every request costs US$0.01, and a day
 * whose figures are final (`Estimated: false`) never changes again, so final
 * days are kept in the connector's cache and only the rest is requested: the
 * days from the first one not final-and-cached to the window's end, as one
 * contiguous TimePeriod.
 */

const DAY_MS = 86_400_000;

/** US$ Cost Explorer bills per API request (each page is a request). */
export const PRICE_PER_REQUEST_USD = 0.01;

/** The window's days, oldest first (YYYY-MM-DD, UTC), the last one being yesterday. */
export function costWindow(now: Date, windowDays: number): string[] {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: windowDays }, (_, i) => new Date(end - (windowDays - i) * DAY_MS).toISOString().slice(0, 10));
}

/** GetCostAndUsage's TimePeriod: Start inclusive, End exclusive. */
export interface TimePeriod {
  Start: string;
  End: string;
}

/** The one period still to fetch, or undefined when every day of the window is final and cached. */
export function periodToFetch(window: readonly string[], cachedFinal: ReadonlySet<string>): TimePeriod | undefined {
  const first = window.findIndex((d) => !cachedFinal.has(d));
  const last = window[window.length - 1];
  if (first < 0 || last === undefined) return undefined;
  return { Start: window[first] as string, End: nextDay(last) };
}

/**
 * The fewest GetCostAndUsage requests one account needs for the window: one when any day is
 * still to fetch, none when all are final and cached (each further page is one more).
 */
export function minimumRequests(window: readonly string[], cachedFinal: ReadonlySet<string>): number {
  return periodToFetch(window, cachedFinal) ? 1 : 0;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
