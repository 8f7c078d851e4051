import type { InventoryItem } from '../inventory';
import { hasLineage } from './findings/missing-lineage';
import { aliasSet, families } from './findings/production';
import { isLive } from './policy';

/** The criteria a production model must meet to count as governed. */
export const GOVERNANCE_CRITERIA = ['registered', 'lineage', 'version', 'owner', 'evaluation'] as const;
export type Criterion = (typeof GOVERNANCE_CRITERIA)[number];

export type Tier = 'Elite' | 'Good' | 'Average' | 'Weak' | 'Chaos';

export interface MaturityBand {
  /** Governed production models ÷ production models, 0–1 (1 when there are none). */
  score: number;
  tier: Tier;
  governed: number;
  total: number;
}

export interface MaturityScore {
  overall: MaturityBand;
  bySource: Array<MaturityBand & { source: string }>;
  /** Production models that pull the score down, with what each lacks. */
  pullingDown: Array<{ key: string; title: string; source: string; missing: Criterion[] }>;
}

/** Elite > 90 %, Good 70–90 %, Average 40–70 %, Weak 20–40 %, Chaos < 20 %. */
export function tierOf(score: number): Tier {
  if (score > 0.9) return 'Elite';
  if (score >= 0.7) return 'Good';
  if (score >= 0.4) return 'Average';
  if (score >= 0.2) return 'Weak';
  return 'Chaos';
}

/**
 * The lifecycle maturity score: of the models in production (a version in the
 * Production stage or carrying a production alias — and every live deployment
 * serving nothing registered, which is production AI nobody registered), the
 * share that are fully governed. A production model is judged by its newest
 * production version:
 *   - registered: it is in a registry (a shadow deployment is not);
 *   - lineage: a training run, a dataset pinned by digest, or params;
 *   - version: what serves it names an exact registered version;
 *   - owner: on the version or its model;
 *   - evaluation: metrics recorded for it.
 * Pure.
 */
export function maturity(items: readonly InventoryItem[], productionAliases: readonly string[] = ['production', 'prod', 'champion']): MaturityScore {
  const judged: Judged[] = [];
  for (const f of families(items, aliasSet(productionAliases))) {
    const v = f.production;
    if (!v) continue;
    const missing: Criterion[] = [];
    if (!hasLineage(v)) missing.push('lineage');
    if (!v.owner && !f.model.owner) missing.push('owner');
    if (Object.keys(v.metrics).length === 0) missing.push('evaluation');
    judged.push({ key: f.model.key, title: f.model.name, source: v.source, missing });
  }
  for (const d of items) {
    if (d.kind !== 'deployment' || !isLive(d) || d.serves?.length || d.servesVersionKey) continue;
    judged.push({ key: d.key, title: d.component ? `${d.endpoint}/${d.component}` : d.endpoint, source: d.source, missing: ['registered', 'lineage', 'version', ...(d.owner ? [] : (['owner'] as Criterion[])), 'evaluation'] });
  }
  const sources = [...new Set(judged.map((j) => j.source))].sort();
  return {
    overall: band(judged),
    bySource: sources.map((source) => ({ source, ...band(judged.filter((j) => j.source === source)) })),
    pullingDown: judged.filter((j) => j.missing.length > 0).sort((a, b) => b.missing.length - a.missing.length || a.title.localeCompare(b.title)),
  };
}

interface Judged {
  key: string;
  title: string;
  source: string;
  missing: Criterion[];
}

function band(list: readonly Judged[]): MaturityBand {
  const governed = list.filter((j) => j.missing.length === 0).length;
  const score = list.length === 0 ? 1 : governed / list.length;
  return { score, tier: tierOf(score), governed, total: list.length };
}
