import type { Usage } from '../../../src/inventory';
import type { SeriesResult } from './client';
import { dayOf, type UsageWindow } from './window';

/** A deployment's usage, or why it is unknown (never a zero standing in for an unknown). */
export type UsageOutcome = { usage: Usage } | { unknown: string };

/**
 * Sums a deployment's series (one per variant) day by day. A missing datapoint is a day
 * without traffic; a series that is not `Complete`, or that never came back, makes the
 * whole deployment's usage unknown.
 */
export function usageOf(window: UsageWindow, series: ReadonlyArray<{ label: string; result: SeriesResult | undefined }>): UsageOutcome {
  const index = new Map(window.days.map((d, i) => [d, i]));
  const daily = window.days.map(() => 0);
  for (const { label, result } of series) {
    if (!result) return { unknown: `CloudWatch returned no result for ${label}` };
    if (result.status !== 'Complete') {
      const said = result.messages.length ? ` (${result.messages.join('; ')})` : '';
      return { unknown: `CloudWatch answered ${result.status} for ${label}${said}` };
    }
    for (const p of result.points) {
      const i = index.get(dayOf(p.at));
      if (i !== undefined) daily[i] = (daily[i] as number) + p.value;
    }
  }
  let last = -1;
  daily.forEach((n, i) => {
    if (n > 0) last = i;
  });
  return {
    usage: {
      windowDays: window.days.length,
      invocations: daily.reduce((a, b) => a + b, 0),
      daily,
      ...(last >= 0 ? { lastInvocationDay: window.days[last] } : {}),
      windowEnd: window.days[window.days.length - 1] as string,
    },
  };
}
