import { GetCostAndUsageCommand, type CostExplorerClient, type GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer';
import { z } from 'zod';
import { formatPath } from '../../../src/config/yaml-file';
import { MalformedResponseError } from '../../../src/errors';
import type { GroupCost } from './cache';
import type { TimePeriod } from './period';

/** Cost Explorer's SERVICE dimension value for SageMaker. */
export const SAGEMAKER_SERVICE = 'Amazon SageMaker';

export interface DayCosts {
  /** Cost Explorer may still revise the day (its month's bill is not final). */
  estimated: boolean;
  groups: GroupCost[];
}

export interface CostAnswer {
  days: Map<string, DayCosts>;
  /** Requests made, pages included: each one is billed. */
  requests: number;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const page = z.object({
  ResultsByTime: z
    .array(
      z.object({
        TimePeriod: z.object({ Start: day, End: day }),
        Groups: z
          .array(
            z.object({
              Keys: z.array(z.string()).length(2, 'two keys: the tag, then the linked account'),
              Metrics: z.record(z.string(), z.object({ Amount: z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, 'a decimal amount as a string'), Unit: z.string().min(1) })),
            }),
          )
          .default([]),
        Estimated: z.boolean().optional(),
      }),
    )
    .default([]),
  NextPageToken: z.string().optional(),
});

/**
 * GetCostAndUsage for SageMaker, daily, grouped by the cost-allocation tag and
 * the linked account. Every page is asked with the very same request (only the
 * token added), as Cost Explorer insists.
 */
export class CostReader {
  constructor(
    private readonly sdk: CostExplorerClient,
    private readonly connector: string,
    private readonly query: { tagKey: string; metric: string },
  ) {}

  request(period: TimePeriod): GetCostAndUsageCommandInput {
    return {
      TimePeriod: { ...period },
      Granularity: 'DAILY',
      Metrics: [this.query.metric],
      Filter: { Dimensions: { Key: 'SERVICE', Values: [SAGEMAKER_SERVICE] } },
      GroupBy: [
        { Type: 'TAG', Key: this.query.tagKey },
        { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
      ],
    };
  }

  async read(period: TimePeriod, signal: AbortSignal): Promise<CostAnswer> {
    const base = this.request(period);
    const days = new Map<string, DayCosts>();
    const seen = new Set<string>();
    let token: string | undefined;
    let requests = 0;
    do {
      const out = await this.sdk.send(new GetCostAndUsageCommand({ ...base, ...(token ? { NextPageToken: token } : {}) }), { abortSignal: signal });
      requests++;
      const data = this.parse(out);
      data.ResultsByTime.forEach((r, i) => {
        const d = r.TimePeriod.Start;
        if (d < period.Start || d >= period.End) throw this.malformed(`day ${d}`, ['ResultsByTime', i, 'TimePeriod', 'Start'], `a day inside ${period.Start}…${period.End}`);
        const into = days.get(d) ?? { estimated: false, groups: [] };
        // An answer without the flag is treated as revisable: it is never cached as final.
        into.estimated ||= r.Estimated ?? true;
        r.Groups.forEach((g, k) => into.groups.push(this.group(g, d, ['ResultsByTime', i, 'Groups', k])));
        days.set(d, into);
      });
      token = data.NextPageToken || undefined;
      if (token !== undefined) {
        if (seen.has(token)) throw this.malformed('(GetCostAndUsage pages)', ['NextPageToken'], 'a token not seen before on this read');
        seen.add(token);
      }
    } while (token !== undefined);
    return { days, requests };
  }

  private group(g: z.infer<typeof page>['ResultsByTime'][number]['Groups'][number], d: string, path: PropertyKey[]): GroupCost {
    const [tag, account] = g.Keys as [string, string];
    const item = `day ${d} group ${g.Keys.join(' / ')}`;
    const prefix = `${this.query.tagKey}$`;
    if (!tag.startsWith(prefix)) throw this.malformed(item, [...path, 'Keys', 0], `"${prefix}<value>"`);
    if (!/^\d{12}$/.test(account)) throw this.malformed(item, [...path, 'Keys', 1], 'a 12-digit linked account id');
    const metric = g.Metrics[this.query.metric];
    if (!metric) throw this.malformed(item, [...path, 'Metrics', this.query.metric], `the ${this.query.metric} metric`);
    return { value: tag.slice(prefix.length), account, amount: Number(metric.Amount), unit: metric.Unit };
  }

  private parse(out: unknown): z.infer<typeof page> {
    const parsed = page.safeParse(out);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const start = typeof path[1] === 'number' ? (out as { ResultsByTime?: Array<{ TimePeriod?: { Start?: unknown } }> }).ResultsByTime?.[path[1]]?.TimePeriod?.Start : undefined;
    throw this.malformed(typeof start === 'string' ? `day ${start}` : '(GetCostAndUsage page)', path, issue?.message ?? 'invalid');
  }

  private malformed(item: string, path: readonly PropertyKey[], expected: string): MalformedResponseError {
    const field = formatPath(path, '(body)');
    return new MalformedResponseError(`enricher ${this.connector}: item ${item}: field ${field}: ${expected}`, { connector: this.connector, item, field });
  }
}
