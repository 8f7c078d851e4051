import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MetricStore, SeriesId } from './store';
import { AwsFault } from '../../../aws-kit/emulator/identities';

/*
 * GetMetricData over the store, with the service's limits: 500 queries a
 * call, ids that start with a lower-case letter and are unique, pages of at
 * most MaxDatapoints (default 100,800) datapoints chained by NextToken, and
 * no datapoint for a period without data. A series still running on into the
 * next page is `PartialData` on this one.
 *
 * The store keeps daily sums, so the emulator answers only periods that are
 * whole days starting at midnight UTC (what masync asks for); anything finer
 * is refused with a message saying so rather than answered wrongly.
 */

const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const DAY = 86_400;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

const dimension = z.object({ Name: z.string().min(1).max(255), Value: z.string().min(1).max(1024) });
const query = z.object({
  Id: z.string().min(1).max(255),
  MetricStat: z
    .object({
      Metric: z.object({ Namespace: z.string().min(1), MetricName: z.string().min(1), Dimensions: z.array(dimension).max(30).default([]) }),
      Period: z.number().int().positive(),
      Stat: z.string().min(1),
      Unit: z.string().optional(),
    })
    .optional(),
  Expression: z.string().optional(),
  Label: z.string().optional(),
  ReturnData: z.boolean().optional(),
  Period: z.number().int().optional(),
  AccountId: z.string().optional(),
});
const input = z.object({
  MetricDataQueries: z.array(query),
  StartTime: z.number(),
  EndTime: z.number(),
  NextToken: z.string().optional(),
  ScanBy: z.enum(['TimestampDescending', 'TimestampAscending']).optional(),
  MaxDatapoints: z.number().int().positive().optional(),
  LabelOptions: z.object({ Timezone: z.string().optional() }).optional(),
});
type Input = z.infer<typeof input>;

export interface Caller {
  account: string;
  region: string;
}

interface Point {
  query: number;
  at: number;
  value: number;
}

const invalid = (message: string) => new AwsFault('InvalidParameterValue', message);

export function getMetricData(store: MetricStore, caller: Caller, body: unknown, serverPageLimit: number): unknown {
  const req = parse(body);
  const series = req.MetricDataQueries.map((q, i) => seriesOf(store, q, i, caller));
  const points: Point[] = [];
  const counts = series.map((s, i) => {
    if (!s.id || s.forced === 'Forbidden' || s.forced === 'InternalError') return 0;
    const days = store.daysOf(s.id);
    const buckets: Point[] = [];
    for (let t = req.StartTime; t < req.EndTime; t += s.period) {
      let sum: number | undefined;
      for (let d = t; d < t + s.period && d < req.EndTime; d += DAY) {
        const v = days?.get(new Date(d * 1000).toISOString().slice(0, 10));
        if (v !== undefined) sum = (sum ?? 0) + v;
      }
      if (sum !== undefined) buckets.push({ query: i, at: t, value: sum });
    }
    if (req.ScanBy !== 'TimestampAscending') buckets.reverse();
    points.push(...buckets);
    return buckets.length;
  });

  const hash = requestHash(req);
  const offset = req.NextToken === undefined ? 0 : tokenOffset(req.NextToken, hash, points.length);
  const end = Math.min(points.length, offset + Math.min(req.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS, serverPageLimit));
  const last = end >= points.length;
  const onPage = new Map<number, Point[]>();
  for (const p of points.slice(offset, end)) {
    const list = onPage.get(p.query);
    if (list) list.push(p);
    else onPage.set(p.query, [p]);
  }

  let start = 0;
  const results = series.flatMap((s, i) => {
    const done = start + (counts[i] as number) <= end;
    start += counts[i] as number;
    const mine = onPage.get(i) ?? [];
    // A series with no datapoint at all is answered once, on the last page.
    if (mine.length === 0 && !(last && counts[i] === 0)) return [];
    const status = s.forced ?? (done ? 'Complete' : 'PartialData');
    return [
      {
        Id: s.queryId,
        Label: s.label,
        Timestamps: mine.map((p) => p.at),
        Values: mine.map((p) => p.value),
        StatusCode: status,
        ...(s.forced && s.forced !== 'PartialData' ? { Messages: [{ Code: s.forced, Value: FORCED_MESSAGES[s.forced] }] } : {}),
      },
    ];
  });
  return { MetricDataResults: results, Messages: [], ...(last ? {} : { NextToken: makeToken(end, hash) }) };
}

const FORCED_MESSAGES = {
  Forbidden: 'Insufficient permissions to read this metric.',
  InternalError: 'An internal error occurred while reading this metric.',
} as const;

function parse(body: unknown): Input {
  if (!body || typeof body !== 'object' || !('MetricDataQueries' in body)) {
    throw new AwsFault('MissingParameter', 'The parameter MetricDataQueries is required.');
  }
  const parsed = input.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`The parameter ${issue?.path.join('.') ?? '(body)'} is not valid: ${issue?.message ?? 'invalid'}.`);
  }
  const req = parsed.data;
  if (req.MetricDataQueries.length > MAX_QUERIES) throw invalid(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const ids = new Set<string>();
  req.MetricDataQueries.forEach((q, i) => {
    if (!ID.test(q.Id)) {
      throw new AwsFault('ValidationError', `The value ${q.Id} for parameter MetricDataQueries.member.${i + 1}.Id is not matching the expected pattern ${ID.source}.`);
    }
    ids.add(q.Id);
  });
  if (ids.size !== req.MetricDataQueries.length) throw new AwsFault('ValidationError', 'The values for parameter id in MetricDataQueries are not unique.');
  if (req.StartTime >= req.EndTime) throw new AwsFault('ValidationError', 'The parameter StartTime must be less than the parameter EndTime.');
  if (req.StartTime % DAY !== 0) throw invalid('The emulator keeps daily sums: StartTime must be midnight UTC.');
  return req;
}

function seriesOf(store: MetricStore, q: Input['MetricDataQueries'][number], i: number, caller: Caller) {
  if (q.Expression !== undefined) throw invalid('The emulator does not evaluate metric math or Metrics Insights expressions.');
  const stat = q.MetricStat;
  if (!stat) throw new AwsFault('MissingParameter', `The parameter MetricDataQueries.member.${i + 1}.MetricStat is required.`);
  if (stat.Period % 60 !== 0) throw invalid(`The parameter MetricDataQueries.member.${i + 1}.MetricStat.Period must be a multiple of 60.`);
  if (stat.Period % DAY !== 0) throw invalid('The emulator keeps daily sums: Period must be a multiple of 86400.');
  if (stat.Stat !== 'Sum') throw invalid(`The emulator keeps sums only: Stat ${stat.Stat} is not supported.`);
  const base = { queryId: q.Id, label: q.Label ?? stat.Metric.MetricName, period: stat.Period };
  // Another account's data needs a monitoring-account link this emulator does not model.
  if (q.AccountId !== undefined && q.AccountId !== caller.account) {
    return { ...base, id: undefined, forced: 'Forbidden' as const };
  }
  const id: SeriesId = { ...caller, namespace: stat.Metric.Namespace, metric: stat.Metric.MetricName, dimensions: stat.Metric.Dimensions };
  return { ...base, id, forced: store.forcedStatus(id) };
}

/** The request without its NextToken: a token only continues the request that produced it. */
function requestHash(req: Input): string {
  const { NextToken: _ignored, ...rest } = req;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}

function makeToken(offset: number, hash: string): string {
  return Buffer.from(JSON.stringify({ o: offset, h: hash })).toString('base64url');
}

function tokenOffset(token: string, hash: string, total: number): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const t = decoded as { o?: unknown; h?: unknown } | undefined;
  if (typeof t?.o !== 'number' || t.h !== hash || t.o < 0 || t.o > total) {
    throw new AwsFault('InvalidNextToken', 'The service cannot process the NextToken provided.');
  }
  return t.o;
}
