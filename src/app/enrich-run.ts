import { applyCosts } from '../enrich/cost';
import { attachFindings, runPolicies } from '../enrich/findings';
import { linkDeployments } from '../enrich/link';
import { observationsOf } from '../enrich/observe';
import { policyInput } from '../enrich/policy';
import { priceTable } from '../enrich/prices';
import type { Cost, InventoryItem, Usage } from '../inventory';
import { describeError } from '../errors';
import type { EnrichFacts, SourceContext } from '../engine/types';
import { openFirstSeen, type RaisedFinding } from '../state/findings';
import { goneKeys } from '../state/items';
import type { Observation } from '../state/observations';
import type { RunEnv } from './run-env';
import type { Runtime } from './runtime';

/** What enrichment added to a run, for the plan, the state and the reports. */
export interface Enrichment {
  items: InventoryItem[];
  raised: RaisedFinding[];
  evaluated: Map<string, Set<string>>;
  centers: Array<{ name: string; monthly: number; currency: string }>;
  observations: Observation[];
  /** Enrichers that read every scope this run: their full-read time moves on. */
  enrichedFully: string[];
  /** The instant policies judged at: a new finding's first-seen time, on the item and in state alike. */
  judgedAt: string;
  notes: string[];
  /** Enricher scopes (accounts, regions) that could not be read: their facts are missing this run. */
  errors: string[];
}

/**
 * Between reading and mapping: link deployments to the versions they serve,
 * fetch usage and cost once per run from the enrichers, price what billing
 * did not, roll cost up, and judge every policy. Only the enrichers do I/O;
 * every other step is a pure function of the items.
 */
export async function enrichItems(rt: Runtime, env: RunEnv, read: readonly InventoryItem[]): Promise<Enrichment> {
  const { config } = rt.loaded;
  const notes: string[] = [];
  const errors: string[] = [];
  const resolve = (ref: string) => {
    for (const s of rt.sources) {
      const key = s.keyOfReference?.(ref);
      if (key) return key;
    }
    return undefined;
  };
  const linked = linkDeployments(read, resolve, config.linking);
  notes.push(...linked.notes);

  const usage = new Map<string, Usage>();
  const measured = new Map<string, Cost>();
  const enrichedFully: string[] = [];
  await Promise.all(
    rt.enrichers.map(async (e) => {
      const base = env.ctxOf(e.name);
      let partial = false;
      const ctx: SourceContext = {
        ...base,
        scopeFailed: (scope, err) => {
          partial = true;
          errors.push(`enricher ${e.name} scope ${scope}: ${describeError(err)}`);
          base.logger.error(`enricher ${e.name}: scope ${scope} could not be read; its facts are missing this run (not zero): ${describeError(err)}`);
        },
        skipped: (r) => base.logger.warn(`enricher ${e.name}: skipped ${r.item}: ${describeError(r.error)}`),
      };
      let facts: EnrichFacts;
      try {
        facts = await e.enrich(linked.items, ctx);
      } catch (err) {
        errors.push(`enricher ${e.name}: ${describeError(err)}`);
        base.logger.error(`enricher ${e.name} failed; its facts are missing this run (not zero): ${describeError(err)}`);
        return;
      }
      for (const [k, u] of facts.usage) usage.set(k, u);
      for (const [k, c] of facts.cost) measured.set(k, c);
      if (!partial) enrichedFully.push(e.name);
    }),
  );
  const withUsage = linked.items.map((item) => (item.kind === 'deployment' && usage.has(item.key) ? { ...item, usage: usage.get(item.key) as Usage } : item));
  const costed = applyCosts(withUsage, measured, priceTable(config.cost));
  notes.push(...costed.notes);

  const now = rt.clock.now();
  const readsDeployments = costed.items.some((i) => i.kind === 'deployment');
  const judged = runPolicies(policyInput(costed.items, goneKeys(rt.db, env.keys, 'model_version'), readsDeployments, now), config.policies);
  notes.push(...judged.notes);
  const judgedAt = now.toISOString();
  const items = attachFindings(costed.items, judged.raised, openFirstSeen(rt.db, env.keys), judgedAt);
  return { items, raised: judged.raised, evaluated: judged.evaluated, centers: costed.centers, observations: observationsOf(items), enrichedFully, judgedAt, notes, errors };
}
