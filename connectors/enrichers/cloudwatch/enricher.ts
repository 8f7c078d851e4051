import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import pLimit from 'p-limit';
import type { CheckResult, EnrichFacts, Enricher, RunContext, SourceContext } from '../../../src/engine/types';
import { ConnectorError } from '../../../src/errors';
import type { Redactor } from '../../../src/http/redact';
import type { DeploymentItem, InventoryItem, Usage } from '../../../src/inventory';
import { wrapAwsError, type AwsAccount } from '../../aws-kit';
import { checkCloudWatch } from './check';
import { MetricDataReader, type SeriesResult } from './client';
import type { CloudWatchConfig } from './config';
import { metricQueries, planBatches, targetsOf, type MetricTarget, type QueryBatch } from './queries';
import { usageOf } from './usage';
import { usageWindow, type UsageWindow } from './window';

export interface CloudWatchEnricherDeps {
  redactor: Redactor;
  /** An SDK client that reads `account` in `region`. */
  clientFor(account: AwsAccount, region: string): CloudWatchClient;
}

interface Selected {
  account: string;
  region: string;
  targets: MetricTarget[];
}

/**
 * Daily `Invocations` of every SageMaker deployment over the window, one
 * GetMetricData batch list per account and region. A region that cannot be
 * read is reported as a failed scope and its deployments get no usage; a
 * series CloudWatch could not return in full leaves that deployment unknown.
 */
export class CloudWatchEnricher implements Enricher {
  readonly type = 'cloudwatch';
  readonly name: string;
  private readonly accounts: Map<string, AwsAccount>;

  constructor(
    private readonly config: CloudWatchConfig,
    private readonly deps: CloudWatchEnricherDeps,
  ) {
    this.name = config.name;
    this.accounts = new Map(config.accounts.map((a) => [a.id, a]));
  }

  async enrich(items: readonly InventoryItem[], ctx: SourceContext): Promise<EnrichFacts> {
    const window = usageWindow(ctx.clock.now(), this.config.windowDays);
    const batches = planBatches(this.select(items, ctx), this.config.windowDays);
    const found = new Map<string, Map<string, Usage>>();
    const failed = new Set<string>();
    const clients = new Map<string, CloudWatchClient>();
    const limit = pLimit(this.config.concurrency);
    let calls = 0;

    const fail = (scope: string, err: unknown) => {
      if (failed.has(scope)) return;
      failed.add(scope);
      ctx.scopeFailed(scope, err);
    };
    const clientOf = (b: QueryBatch) => {
      let c = clients.get(b.scope);
      // select() lets only deployments of configured accounts through.
      if (!c) clients.set(b.scope, (c = this.deps.clientFor(this.accounts.get(b.account) as AwsAccount, b.region)));
      return c;
    };

    ctx.progress.start('CloudWatch usage', batches.length);
    try {
      await Promise.all(
        batches.map((b) =>
          limit(async () => {
            try {
              if (failed.has(b.scope)) return;
              if (ctx.stopping.aborted) {
                fail(b.scope, new ConnectorError(`${this.name}: ${b.scope}: stop requested before its usage was read`, { connector: this.name, scope: b.scope }));
                return;
              }
              const usage = await this.readBatch(b, clientOf(b), window, ctx, (n) => (calls += n));
              const into = found.get(b.scope) ?? new Map<string, Usage>();
              for (const [key, u] of usage) into.set(key, u);
              found.set(b.scope, into);
            } catch (err) {
              if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
              fail(b.scope, wrapAwsError(err, { connector: this.name, operation: 'GetMetricData', scope: b.scope }, this.deps.redactor));
            } finally {
              ctx.progress.tick();
            }
          }),
        ),
      );
    } finally {
      ctx.progress.done();
      for (const c of clients.values()) c.destroy();
    }

    // A scope is all or nothing: a region that failed part-way gives no usage at all.
    const usage = new Map<string, Usage>();
    for (const [scope, byKey] of found) if (!failed.has(scope)) for (const [k, u] of byKey) usage.set(k, u);
    ctx.logger.info(
      `${this.name}: usage of ${usage.size} deployment(s) over ${window.days.length} day(s) ending ${window.days[window.days.length - 1]} ` +
        `(${calls} GetMetricData call(s)${failed.size ? `; ${failed.size} scope(s) failed` : ''})`,
    );
    return { usage, cost: new Map() };
  }

  check(ctx: RunContext): Promise<CheckResult[]> {
    return checkCloudWatch(this.config, (account, region) => this.deps.clientFor(account, region), this.deps.redactor, ctx);
  }

  private async readBatch(b: QueryBatch, sdk: CloudWatchClient, window: UsageWindow, ctx: RunContext, counted: (calls: number) => void): Promise<Map<string, Usage>> {
    const reader = new MetricDataReader(sdk, this.name, (id) => `${b.targets.get(id)?.label ?? id} (${b.scope})`);
    const answer = await reader.read(metricQueries(b), window, ctx.signal);
    counted(answer.calls);
    for (const m of answer.messages) ctx.logger.warn(`${this.name}: ${b.scope}: CloudWatch says: ${m}`);

    const byDeployment = new Map<string, Array<{ label: string; result: SeriesResult | undefined }>>();
    for (const [id, t] of b.targets) {
      const list = byDeployment.get(t.deploymentKey) ?? [];
      list.push({ label: t.label, result: answer.results.get(id) });
      byDeployment.set(t.deploymentKey, list);
    }
    const usage = new Map<string, Usage>();
    for (const [key, series] of byDeployment) {
      const outcome = usageOf(window, series);
      if ('usage' in outcome) usage.set(key, outcome.usage);
      else ctx.logger.warn(`${this.name}: usage of ${key} is unknown this run: ${outcome.unknown}`);
    }
    return usage;
  }

  /** The deployments this enricher can read, each with its series; the rest are named in a warning. */
  private select(items: readonly InventoryItem[], ctx: RunContext): Selected[] {
    const regions = this.config.regions ? new Set(this.config.regions) : undefined;
    const outside = new Map<string, string[]>();
    const selected: Selected[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      if (item.kind !== 'deployment' || seen.has(item.key)) continue;
      seen.add(item.key);
      const d: DeploymentItem = item;
      if (!d.account || !d.region) {
        ctx.logger.warn(`${this.name}: usage of ${d.key} is unknown: the deployment names no AWS account and region`);
        continue;
      }
      const why = !this.accounts.has(d.account) ? `account ${d.account} is not listed under accounts` : regions && !regions.has(d.region) ? `region ${d.region} is not listed under regions` : undefined;
      if (why) {
        outside.set(why, [...(outside.get(why) ?? []), d.key]);
        continue;
      }
      const targets = targetsOf(d);
      if ('reason' in targets) ctx.logger.warn(`${this.name}: usage of ${d.key} is unknown: ${targets.reason}`);
      else selected.push({ account: d.account, region: d.region, targets });
    }
    for (const [why, keys] of outside) {
      ctx.logger.warn(`${this.name}: no usage for ${keys.length} deployment(s) because ${why} (e.g. ${keys.slice(0, 3).join(', ')})`);
    }
    return selected;
  }
}
