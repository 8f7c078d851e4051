import type { Finding, ModelVersionItem } from '../../inventory';
import { emptyResult, versionTitle, type Policy } from '../policy';
import { metricDirection, type Direction } from './metric-direction';
import { aliasSet, isProduction } from './production';

export type Threshold = number | { threshold: number; direction: Direction };

export interface RetirementCandidateConfig {
  enabled: boolean;
  severity: Finding['severity'];
  productionAliases: string[];
  /** Metric → threshold, for every production version. */
  metrics: Record<string, Threshold>;
  /** Model name or key → thresholds over the global ones, metric by metric. */
  models: Record<string, Record<string, Threshold>>;
}

interface Rule {
  metric: string;
  threshold: number;
  direction: Direction;
}

/**
 * A production version whose tracked metric has crossed its threshold: below
 * it for scores (auc, f1…), above it for errors (loss, rmse…). A production
 * version carrying none of its tracked metrics is not judged (its evaluation
 * is unknown, not bad), so an open finding on it stays open.
 */
export const retirementCandidatePolicy: Policy<RetirementCandidateConfig> = {
  type: 'retirement-candidate',
  evaluate(input, config) {
    const out = emptyResult();
    const aliases = aliasSet(config.productionAliases);
    for (const v of input.items) {
      if (v.kind !== 'model_version') continue;
      if (!isProduction(v, aliases)) {
        out.evaluated.add(v.key);
        continue;
      }
      const rules = rulesFor(v, config);
      const measured = rules.map((r) => ({ rule: r, value: valueOf(v, r.metric) })).filter((m): m is { rule: Rule; value: number } => m.value !== undefined);
      if (measured.length === 0) {
        if (rules.length === 0) out.evaluated.add(v.key);
        continue;
      }
      out.evaluated.add(v.key);
      const crossed = measured.filter(({ rule, value }) => (rule.direction === 'below' ? value < rule.threshold : value > rule.threshold));
      if (crossed.length === 0) continue;
      const what = crossed.map(({ rule, value }) => `${rule.metric} ${value} is ${rule.direction} its threshold ${rule.threshold}`).join('; ');
      out.findings.push({ key: v.key, finding: { type: 'retirement-candidate', severity: config.severity, detail: `${versionTitle(v, v.key)} is in production, but ${what}: plan its replacement` } });
    }
    return out;
  },
};

/** The model's own thresholds (by key, else by name) over the global ones; a bare number takes the direction its metric's name implies. */
function rulesFor(v: ModelVersionItem, config: RetirementCandidateConfig): Rule[] {
  const merged = { ...config.metrics, ...config.models[v.name], ...config.models[v.versionOf] };
  const rules: Rule[] = [];
  for (const [metric, t] of Object.entries(merged)) {
    const direction = typeof t === 'number' ? metricDirection(metric) : t.direction;
    if (direction) rules.push({ metric, threshold: typeof t === 'number' ? t : t.threshold, direction });
  }
  return rules;
}

/** The metric by its exact name, else by the same name in any case (MLflow names are case-sensitive, people are not). */
function valueOf(v: ModelVersionItem, metric: string): number | undefined {
  if (v.metrics[metric] !== undefined) return v.metrics[metric];
  const lower = metric.toLowerCase();
  const found = Object.keys(v.metrics).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : v.metrics[found];
}
