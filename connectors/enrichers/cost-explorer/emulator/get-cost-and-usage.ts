import { createHash } from 'node:crypto';
import { z } from 'zod';
import { dimensionOf, expressionSchema, matches, validateExpression } from './expression';
import type { CostRecord, CostStore } from './store';
import { AwsFault } from '../../../aws-kit/emulator/identities';

/*
 * GetCostAndUsage over the store: the TimePeriod split into days or months,
 * cost grouped by up to two tags or dimensions (a tag group's key is
 * "<tagKey>$<value>", "<tagKey>$" without the tag), `Amount` as a decimal
 * string, `Estimated` while a day's month is not final, and pages of a few
 * groups chained by a token that only continues the very same request.
 */

const COST_METRICS = new Set(['UnblendedCost', 'AmortizedCost', 'BlendedCost', 'NetUnblendedCost', 'NetAmortizedCost']);
const ALL_METRICS = new Set([...COST_METRICS, 'UsageQuantity', 'NormalizedUsageAmount']);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

const input = z.object({
  TimePeriod: z.object({ Start: z.string(), End: z.string() }),
  Granularity: z.string(),
  Metrics: z.array(z.string()).min(1),
  Filter: expressionSchema.optional(),
  GroupBy: z.array(z.object({ Type: z.string(), Key: z.string() })).max(2).optional(),
  BillingViewArn: z.string().optional(),
  NextPageToken: z.string().optional(),
});
type Input = z.infer<typeof input>;

export interface Clockwork {
  /** Today (YYYY-MM-DD, UTC) as the emulator sees it. */
  today: string;
  /** Days before this one are final; later ones are `Estimated`. */
  finalBefore: string;
}

interface Entry {
  period: number;
  keys?: string[];
  amount?: number;
  unit?: string;
}

const invalid = (message: string) => new AwsFault('ValidationException', message);

export function getCostAndUsage(store: CostStore, caller: { account: string }, body: unknown, time: Clockwork, pageSize: number): unknown {
  const req = parse(body, time);
  const periods = split(req.TimePeriod.Start, minDay(req.TimePeriod.End, nextDay(time.today)), req.Granularity);
  const keyOf = (req.GroupBy ?? []).map((g) =>
    g.Type === 'TAG' ? (r: CostRecord) => `${g.Key}$${store.tagValue(r, g.Key)}` : g.Type === 'DIMENSION' ? dimensionOf(g.Key) : unsupported(g.Type),
  );

  // One entry per group per period; a period without cost still appears (as one empty entry).
  const entries: Entry[] = [];
  const totals: Array<{ amount: number; unit: string }> = [];
  periods.forEach((p, i) => {
    const groups = new Map<string, { keys: string[]; amount: number; unit: string }>();
    let total = 0;
    for (let d = p.Start; d < p.End; d = nextDay(d)) {
      for (const r of store.recordsOf(d)) {
        // A member account's Cost Explorer sees its own cost; a management account sees its members'.
        if (r.account !== caller.account && !store.isMemberOf(r.account, caller.account)) continue;
        if (req.Filter && !matches(req.Filter, r, store)) continue;
        total += r.amount;
        if (keyOf.length === 0) continue;
        const keys = keyOf.map((f) => f(r));
        const k = JSON.stringify(keys);
        const g = groups.get(k) ?? { keys, amount: 0, unit: r.unit };
        g.amount += r.amount;
        groups.set(k, g);
      }
    }
    totals.push({ amount: total, unit: 'USD' });
    const sorted = [...groups.values()].sort((a, b) => (a.keys.join('\u0000') < b.keys.join('\u0000') ? -1 : 1));
    if (sorted.length === 0) entries.push({ period: i });
    for (const g of sorted) entries.push({ period: i, keys: g.keys, amount: g.amount, unit: g.unit });
  });

  const hash = requestHash(req);
  const offset = req.NextPageToken === undefined ? 0 : tokenOffset(req.NextPageToken, hash, entries.length);
  const end = Math.min(entries.length, offset + pageSize);
  const results: Array<{ TimePeriod: { Start: string; End: string }; Total: object; Groups: unknown[]; Estimated: boolean }> = [];
  for (const e of entries.slice(offset, end)) {
    const p = periods[e.period] as { Start: string; End: string };
    let last = results[results.length - 1];
    if (!last || last.TimePeriod.Start !== p.Start) {
      const t = totals[e.period] as { amount: number; unit: string };
      last = { TimePeriod: p, Total: keyOf.length ? {} : metrics(req.Metrics, t.amount, t.unit), Groups: [], Estimated: p.End > time.finalBefore };
      results.push(last);
    }
    if (e.keys) last.Groups.push({ Keys: e.keys, Metrics: metrics(req.Metrics, e.amount ?? 0, e.unit ?? 'USD') });
  }
  return {
    GroupDefinitions: req.GroupBy ?? [],
    ResultsByTime: results,
    DimensionValueAttributes: [],
    ...(end < entries.length ? { NextPageToken: makeToken(end, hash) } : {}),
  };
}

function parse(body: unknown, time: Clockwork): Input {
  const parsed = input.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`1 validation error detected: Value at '${issue?.path.join('.') ?? '(body)'}' failed to satisfy constraint: ${issue?.message ?? 'invalid'}`);
  }
  const req = parsed.data;
  const { Start, End } = req.TimePeriod;
  if (!isDay(Start) || !isDay(End)) throw invalid(`Invalid date format: TimePeriod Start ${Start} and End ${End} must be YYYY-MM-DD.`);
  if (Start >= End) throw invalid('Start date (and hour) should be before end date (and hour)');
  if (Start > time.today) {
    throw new AwsFault('DataUnavailableException', 'Data is not available. Please try to adjust the time period. If just enabled Cost Explorer, data might not be ingested yet');
  }
  if (req.Granularity === 'HOURLY') throw invalid('Hourly granularity is not enabled for this account.');
  if (req.Granularity !== 'DAILY' && req.Granularity !== 'MONTHLY') throw invalid(`Granularity must be one of DAILY, MONTHLY or HOURLY, not ${req.Granularity}.`);
  for (const m of req.Metrics) {
    if (!ALL_METRICS.has(m)) throw invalid(`Invalid metric: ${m}.`);
    if (!COST_METRICS.has(m)) throw invalid(`The emulator holds cost, not usage quantities: ${m} is not supported.`);
  }
  const keys = new Set((req.GroupBy ?? []).map((g) => `${g.Type}:${g.Key}`));
  if (keys.size !== (req.GroupBy ?? []).length) throw invalid('GroupBy must not repeat a group.');
  if (req.Filter) validateExpression(req.Filter);
  return req;
}

function unsupported(type: string): never {
  throw invalid(type === 'COST_CATEGORY' ? 'The emulator has no cost categories.' : `GroupBy Type must be DIMENSION, TAG or COST_CATEGORY, not ${type}.`);
}

function metrics(names: string[], amount: number, unit: string): Record<string, { Amount: string; Unit: string }> {
  // Cost Explorer sends amounts as decimal strings; the emulator prices every cost metric alike.
  return Object.fromEntries(names.map((n) => [n, { Amount: String(Number(amount.toFixed(10))), Unit: unit }]));
}

function split(start: string, end: string, granularity: string): Array<{ Start: string; End: string }> {
  const out: Array<{ Start: string; End: string }> = [];
  for (let d = start; d < end; ) {
    const next = granularity === 'DAILY' ? nextDay(d) : minDay(firstOfNextMonth(d), end);
    out.push({ Start: d, End: next });
    d = next;
  }
  return out;
}

function isDay(s: string): boolean {
  return DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

function firstOfNextMonth(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

const minDay = (a: string, b: string) => (a < b ? a : b);

function requestHash(req: Input): string {
  const { NextPageToken: _ignored, ...rest } = req;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}

function makeToken(offset: number, hash: string): string {
  return Buffer.from(JSON.stringify({ o: offset, h: hash })).toString('base64url');
}

function tokenOffset(token: string, hash: string, total: number): number {
  let t: { o?: unknown; h?: unknown } | undefined;
  try {
    t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; h?: unknown };
  } catch {
    t = undefined;
  }
  if (typeof t?.o !== 'number' || typeof t.h !== 'string' || t.o < 0 || t.o > total) throw new AwsFault('InvalidNextTokenException', 'The pagination token is invalid. Try again without a pagination token.');
  if (t.h !== hash) throw new AwsFault('RequestChangedException', 'Your request parameters changed between pages. Try again with the old parameters or without a pagination token.');
  return t.o;
}
