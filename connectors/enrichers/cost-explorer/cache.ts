import { z } from 'zod';
import type { ConnectorCache } from '../../../src/engine/types';

/** One tag value's cost in one linked account on one day. */
export interface GroupCost {
  /** The tag's value ("" for cost without the tag). */
  value: string;
  /** The linked (member) account the cost was incurred in. */
  account: string;
  amount: number;
  unit: string;
}

// Compact rows: a window of days × hundreds of endpoints stays small in the state file.
const stored = z.object({ v: z.literal(1), days: z.record(z.string(), z.array(z.tuple([z.string(), z.string(), z.number(), z.string()]))) });

/** Where an account's final days live for this query (a different tag or metric is another query). */
export function cacheKey(account: string, metric: string, tagKey: string): string {
  return `final-days/${account}/${metric}/${tagKey}`;
}

/** Final days kept by earlier runs; an entry this version cannot read is simply fetched again. */
export function readFinalDays(cache: ConnectorCache, key: string): Map<string, GroupCost[]> {
  const parsed = stored.safeParse(cache.get(key));
  const out = new Map<string, GroupCost[]>();
  if (!parsed.success) return out;
  for (const [day, rows] of Object.entries(parsed.data.days)) out.set(day, rows.map(([value, account, amount, unit]) => ({ value, account, amount, unit })));
  return out;
}

/** Keeps the final days that are still inside the window; older ones are dropped. */
export function writeFinalDays(cache: ConnectorCache, key: string, days: ReadonlyMap<string, GroupCost[]>, window: readonly string[]): void {
  const inWindow = new Set(window);
  const out: z.infer<typeof stored> = { v: 1, days: {} };
  for (const [day, groups] of days) if (inWindow.has(day)) out.days[day] = groups.map((g) => [g.value, g.account, g.amount, g.unit]);
  cache.set(key, out);
}
