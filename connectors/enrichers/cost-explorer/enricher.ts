import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { CheckResult, EnrichFacts, Enricher, RunContext, SourceContext } from '../../../src/engine/types';
import type { Redactor } from '../../../src/http/redact';
import type { DeploymentItem, InventoryItem } from '../../../src/inventory';
import { wrapAwsError, type AwsAccount } from '../../aws-kit';
import { cacheKey, readFinalDays, writeFinalDays, type GroupCost } from './cache';
import { checkCostExplorer } from './check';
import { CostReader } from './client';
import type { CostExplorerConfig } from './config';
import { costsByDeployment } from './cost';
import { PRICE_PER_REQUEST_USD, costWindow, periodToFetch } from './period';

export interface CostExplorerEnricherDeps {
  redactor: Redactor;
  /** An SDK client for Cost Explorer as `account` (its one endpoint is in us-east-1). */
  clientFor(account: AwsAccount): CostExplorerClient;
}

/**
 * Measured SageMaker cost per deployment from Cost Explorer, grouped by a
 * cost-allocation tag. Each account asked is one scope: if it cannot be read,
 * none of its cost is used (a partial window would misstate the monthly rate),
 * and the deployments fall back to the price table.
 */
export class CostExplorerEnricher implements Enricher {
  readonly type = 'cost-explorer';
  readonly name: string;

  constructor(
    private readonly config: CostExplorerConfig,
    private readonly deps: CostExplorerEnricherDeps,
  ) {
    this.name = config.name;
  }

  async enrich(items: readonly InventoryItem[], ctx: SourceContext): Promise<EnrichFacts> {
    const window = costWindow(ctx.clock.now(), this.config.windowDays);
    const days = new Map<string, GroupCost[]>();
    let requests = 0;
    let cachedDays = 0;

    ctx.progress.start('Cost Explorer cost', this.config.accounts.length);
    try {
      for (const account of this.config.accounts) {
        try {
          if (ctx.stopping.aborted) throw new Error('stop requested before its cost was read');
          const read = await this.readAccount(account, window, ctx);
          requests += read.requests;
          cachedDays += read.cachedDays;
          // A payer and a member account both see the member's cost: count each day's group once.
          for (const [day, groups] of read.days) days.set(day, dedupe([...(days.get(day) ?? []), ...groups]));
        } catch (err) {
          if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
          ctx.scopeFailed(account.id, wrapAwsError(err, { connector: this.name, operation: 'GetCostAndUsage', scope: account.id }, this.deps.redactor));
        } finally {
          ctx.progress.tick();
        }
      }
    } finally {
      ctx.progress.done();
    }

    const deployments = items.filter((i): i is DeploymentItem => i.kind === 'deployment');
    const fold = costsByDeployment(deployments, days, window, this.config);
    for (const w of fold.warnings) ctx.logger.warn(`${this.name}: ${w}`);
    ctx.logger.info(
      `${this.name}: measured cost for ${fold.cost.size} of ${deployments.length} deployment(s) over ${window.length} day(s); ` +
        `${requests} GetCostAndUsage request(s) this run (US$${(requests * PRICE_PER_REQUEST_USD).toFixed(2)}), ${cachedDays} final day(s) from the cache` +
        (fold.unmatched ? `; ${fold.unmatched} tag value(s) matched no deployment` : ''),
    );
    return { usage: new Map(), cost: fold.cost };
  }

  check(ctx: RunContext): Promise<CheckResult[]> {
    return checkCostExplorer(this.config, (a) => this.deps.clientFor(a), this.deps.redactor, ctx);
  }

  /** Final days from the cache, the rest from Cost Explorer in one contiguous period; newly final days are cached. */
  private async readAccount(account: AwsAccount, window: string[], ctx: RunContext): Promise<{ days: Map<string, GroupCost[]>; requests: number; cachedDays: number }> {
    const key = cacheKey(account.id, this.config.metric, this.config.tagKey);
    const final = ctx.full ? new Map<string, GroupCost[]>() : readFinalDays(ctx.cache, key);
    const days = new Map([...final].filter(([d]) => window.includes(d)));
    const cachedDays = days.size;
    const period = periodToFetch(window, new Set(days.keys()));
    if (!period) return { days, requests: 0, cachedDays };

    const sdk = this.deps.clientFor(account);
    try {
      const answer = await new CostReader(sdk, this.name, this.config).read(period, ctx.signal);
      for (const d of window.filter((x) => x >= period.Start)) {
        const got = answer.days.get(d);
        // A day Cost Explorer did not mention had no SageMaker cost; it is final only once its month is.
        days.set(d, got?.groups ?? []);
        if (got && !got.estimated) final.set(d, got.groups);
        else final.delete(d);
      }
      writeFinalDays(ctx.cache, key, final, window);
      return { days, requests: answer.requests, cachedDays: window.filter((d) => d < period.Start).length };
    } finally {
      sdk.destroy();
    }
  }
}

function dedupe(groups: GroupCost[]): GroupCost[] {
  const seen = new Map<string, GroupCost>();
  for (const g of groups) if (!seen.has(`${g.account}/${g.value}`)) seen.set(`${g.account}/${g.value}`, g);
  return [...seen.values()];
}
