import { JSON_FORMAT_VERSION } from '../engine/render';
import { wasteOf } from './governance';
import type { ReportData } from './types';

/**
 * The `report --format json` contract: one object whose parts have the CLI's
 * shapes, so one jq filter serves both: `monthlyWaste` and `findings` as
 * `masync findings --json` prints them (open findings), `runs` as
 * `masync status --json` does, `inventory` as state records each item.
 */
export function reportToJson(d: ReportData): Record<string, unknown> {
  // Summed as `masync findings --json` sums it; per currency under summary.
  const waste = d.findings.reduce((n, f) => n + (f.monthlyWaste ?? 0), 0);
  return {
    formatVersion: JSON_FORMAT_VERSION,
    generatedAt: d.generatedAt,
    summary: {
      models: d.items.filter((i) => i.kind === 'model').length,
      versions: d.items.filter((i) => i.kind === 'model_version').length,
      deployments: d.items.filter((i) => i.kind === 'deployment').length,
      monthlyCost: d.costs.total,
      openFindings: d.findings.length,
      monthlyWasteByCurrency: wasteOf(d.findings),
      maturity: { score: d.maturity.overall.score, tier: d.maturity.overall.tier, scored: d.maturity.overall.total > 0 },
    },
    changes: {
      ...(d.changes.run ? { runId: d.changes.run.id, status: d.changes.run.status, startedAt: d.changes.run.startedAt, finishedAt: d.changes.run.finishedAt } : {}),
      ...(d.changes.planned ? { planned: d.changes.planned } : {}),
      ...(d.changes.applied ? { applied: d.changes.applied } : {}),
      ...(d.changes.run?.summary !== undefined ? { summary: d.changes.run.summary } : {}),
      findingsRaised: d.changes.raised,
      findingsCleared: d.changes.cleared,
    },
    costs: d.costs,
    monthlyWaste: Math.round(waste * 100) / 100,
    findings: d.findings,
    endpointFindings: d.endpointFindings,
    governance: d.governance,
    maturity: d.maturity,
    inventory: d.items,
    runs: d.runs,
  };
}
