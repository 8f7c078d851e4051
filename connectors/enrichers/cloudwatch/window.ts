const DAY_MS = 86_400_000;

/** The days usage is read over: whole UTC days, the last one being yesterday. */
export interface UsageWindow {
  /** Midnight UTC of the first day (inclusive). */
  start: Date;
  /** Midnight UTC today (exclusive): today is not over, so its traffic is not counted yet. */
  end: Date;
  /** Every day of the window, oldest first (YYYY-MM-DD). */
  days: string[];
}

export function usageWindow(now: Date, windowDays: number): UsageWindow {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start = end - windowDays * DAY_MS;
  const days: string[] = [];
  for (let t = start; t < end; t += DAY_MS) days.push(dayOf(new Date(t)));
  return { start: new Date(start), end: new Date(end), days };
}

/** The UTC day (YYYY-MM-DD) an instant falls on. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}
