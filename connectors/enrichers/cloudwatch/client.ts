import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { z } from 'zod';
import { formatPath } from '../../../src/config/yaml-file';
import { MalformedResponseError } from '../../../src/errors';

/** One series as GetMetricData returned it, its pages merged. */
export interface SeriesResult {
  /** The status of its last page: only `Complete` means every datapoint was returned. */
  status: string;
  points: Array<{ at: Date; value: number }>;
  /** What CloudWatch said about it (Forbidden, InternalError…). */
  messages: string[];
}

export interface MetricDataAnswer {
  results: Map<string, SeriesResult>;
  /** Messages about the call as a whole ("Maximum number of allowed metrics exceeded"). */
  messages: string[];
  calls: number;
}

const message = z.object({ Code: z.string().optional(), Value: z.string().optional() });
const page = z.object({
  MetricDataResults: z
    .array(
      z
        .object({
          Id: z.string(),
          Timestamps: z.array(z.date()).default([]),
          Values: z.array(z.number().nonnegative('a non-negative count')).default([]),
          StatusCode: z.string(),
          Messages: z.array(message).default([]),
        })
        .refine((r) => r.Timestamps.length === r.Values.length, { message: 'as many Values as Timestamps', path: ['Values'] }),
    )
    .default([]),
  NextToken: z.string().optional(),
  Messages: z.array(message).default([]),
});

const describeMessage = (m: z.infer<typeof message>) => [m.Code, m.Value].filter(Boolean).join(': ');

/** GetMetricData over one account and region, every page read and validated. */
export class MetricDataReader {
  constructor(
    private readonly sdk: CloudWatchClient,
    private readonly connector: string,
    /** How an operator names a query id ("endpoint fraud-ep variant AllTraffic"), for errors. */
    private readonly describe: (id: string) => string,
  ) {}

  async read(queries: MetricDataQuery[], window: { start: Date; end: Date }, signal: AbortSignal): Promise<MetricDataAnswer> {
    const asked = new Set(queries.map((q) => q.Id));
    const results = new Map<string, SeriesResult>();
    const messages: string[] = [];
    const seenTokens = new Set<string>();
    let token: string | undefined;
    let calls = 0;
    do {
      const out = await this.sdk.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: window.start, EndTime: window.end, NextToken: token }), { abortSignal: signal });
      calls++;
      const data = this.parse(out);
      messages.push(...data.Messages.map(describeMessage));
      data.MetricDataResults.forEach((r, i) => {
        if (!asked.has(r.Id)) throw this.malformed(`(result for an id never asked: ${r.Id})`, ['MetricDataResults', i, 'Id'], 'an Id of the request');
        const series = results.get(r.Id) ?? { status: r.StatusCode, points: [], messages: [] };
        series.status = r.StatusCode;
        r.Timestamps.forEach((at, k) => series.points.push({ at, value: r.Values[k] as number }));
        series.messages.push(...r.Messages.map(describeMessage));
        results.set(r.Id, series);
      });
      token = data.NextToken || undefined;
      if (token !== undefined) {
        // A token that comes back again would page forever.
        if (seenTokens.has(token)) throw this.malformed('(GetMetricData pages)', ['NextToken'], 'a token not seen before on this read');
        seenTokens.add(token);
      }
    } while (token !== undefined);
    return { results, messages, calls };
  }

  private parse(out: unknown): z.infer<typeof page> {
    const parsed = page.safeParse(out);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const id = path[0] === 'MetricDataResults' && typeof path[1] === 'number' ? idAt(out, path[1]) : undefined;
    throw this.malformed(id ? this.describe(id) : '(GetMetricData page)', path, issue?.message ?? 'invalid');
  }

  private malformed(item: string, path: readonly PropertyKey[], expected: string): MalformedResponseError {
    const field = formatPath(path, '(body)');
    return new MalformedResponseError(`enricher ${this.connector}: item ${item}: field ${field}: ${expected}`, { connector: this.connector, item, field });
  }
}

function idAt(out: unknown, index: number): string | undefined {
  const list = (out as { MetricDataResults?: unknown } | undefined)?.MetricDataResults;
  const el = Array.isArray(list) ? (list[index] as { Id?: unknown } | undefined) : undefined;
  return typeof el?.Id === 'string' ? el.Id : undefined;
}
