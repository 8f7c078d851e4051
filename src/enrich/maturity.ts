import type { InventoryItem, ModelItem, ModelVersionItem } from '../inventory';
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
 * share that are fully governed: registered, with lineage (a run, datasets or
 * params), a version stamped on what runs, an owner, and an evaluation
 * (metrics). Pure.
 */
export function maturity(items: readonly InventoryItem[], productionAliases: readonly string[] = ['production', 'prod', 'champion']): MaturityScore {
  const aliases = new Set(productionAliases.map((a) => a.toLowerCase()));
  const models = new Map(items.filter((i): i is ModelItem => i.kind === 'model').map((m) => [m.key, m]));
  const production = new Map<string, ModelVersionItem>();
  for (const v of items) {
    if (v.kind !== 'model_version') continue;
    if (v.stage?.toLowerCase() !== 'production' && !v.aliases.some((a) => aliases.has(a.toLowerCase()))) continue;
    const prev = production.get(v.versionOf);
    if (!prev || Number(v.version) > Number(prev.version)) production.set(v.versionOf, v);
  }
  const judged: Array<{ key: string; title: string; source: string; missing: Criterion[] }> = [];
  for (const [modelKey, v] of production) {
    const model = models.get(modelKey);
    const missing: Criterion[] = [];
    if (!v.runId && v.datasets.length === 0 && Object.keys(v.params).length === 0) missing.push('lineage');
    if (!v.version) missing.push('version');
    if (!v.owner && !model?.owner) missing.push('owner');
    if (Object.keys(v.metrics).length === 0) missing.push('evaluation');
    judged.push({ key: modelKey, title: model?.name ?? v.name, source: v.source, missing });
  }
  for (const d of items) {
    if (d.kind !== 'deployment' || !isLive(d) || d.serves?.length || d.servesVersionKey) continue;
    judged.push({ key: d.key, title: d.component ? `${d.endpoint}/${d.component}` : d.endpoint, source: d.source, missing: ['registered', 'lineage', 'version', ...(d.owner ? [] : (['owner'] as Criterion[])), 'evaluation'] });
  }
  const band = (list: typeof judged): MaturityBand => {
    const governed = list.filter((j) => j.missing.length === 0).length;
    const score = list.length === 0 ? 1 : governed / list.length;
    return { score, tier: tierOf(score), governed, total: list.length };
  };
  const sources = [...new Set(judged.map((j) => j.source))].sort();
  return {
    overall: band(judged),
    bySource: sources.map((source) => ({ source, ...band(judged.filter((j) => j.source === source)) })),
    pullingDown: judged.filter((j) => j.missing.length > 0).sort((a, b) => b.missing.length - a.missing.length || a.title.localeCompare(b.title)),
  };
}
