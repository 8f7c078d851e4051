import type { ChangeSummary as StoredChange } from '../app/change-summary';
import type { MaturityScore } from '../enrich/maturity';
import type { InventoryItem, ItemKind } from '../inventory';
import type { StoredFinding } from '../state/findings';
import type { RunRow } from '../state/runs';

/** An item as the state file last recorded it. */
export type StateItem = InventoryItem & { firstSeen: string; changedAt: string };

/** An amount of money a month, in one currency (amounts in different currencies are never added). */
export interface Money {
  monthly: number;
  currency: string;
}

/** One bar of a cost chart: a model, a cost center, or the endpoints no registered model accounts for. */
export interface CostRow extends Money {
  label: string;
  /** The model's key; absent for a cost center or the unregistered total. */
  key?: string;
  /** Part of the figure comes from the price table rather than billing data. */
  estimated?: boolean;
  /** The total of live endpoints serving no registered version: always shown, never folded into "more". */
  unregistered?: boolean;
}

export interface CostBreakdown {
  /** Each costed model, most expensive first, and one row per currency for live endpoints serving no registered version. */
  byModel: CostRow[];
  /** The cost_centers table's latest day, most expensive first. */
  byCostCenter: CostRow[];
  /** The day `byCostCenter` was recorded (YYYY-MM-DD), if any. */
  costCenterDay?: string;
  /** Every deployment's cost, summed per currency. */
  total: Money[];
  /** What the deployments cost a month on each day a sync recorded, oldest first (the last 90 days recorded). */
  trend: TrendPoint[];
}

export interface TrendPoint extends Money {
  /** YYYY-MM-DD. */
  day: string;
  /** Part of the figure comes from the price table rather than billing data. */
  estimated: boolean;
}

/** The open findings of one model (its own, its versions', and its deployments'), or of an endpoint serving nothing registered. */
export interface ModelGaps {
  key: string;
  title: string;
  kind: ItemKind | 'unknown';
  source?: string;
  owner?: string;
  findings: StoredFinding[];
}

/** What the last run changed, and what it found and cleared. */
export interface ChangeSummary {
  /** The latest run, if any. */
  run?: RunRow;
  /** Planned and applied counts by op (create, update…), from the run's summary. */
  planned?: Record<string, number>;
  applied?: Record<string, number>;
  /** The change summary the sync stored (writes, registry changes, findings, cost, maturity), when it stored one. */
  change?: StoredChange;
  /** The same, in the lines `masync status` prints. */
  details: string[];
  /** Findings first seen, and findings cleared, since that run started. */
  raised: StoredFinding[];
  cleared: StoredFinding[];
}

/** Everything a report shows, read from the state file alone. */
export interface ReportData {
  generatedAt: string;
  items: StateItem[];
  /** Open findings, newest first (as `masync findings` lists them). */
  findings: StoredFinding[];
  costs: CostBreakdown;
  /** Open findings on deployments: zombies, shadow AI, retired versions still serving… */
  endpointFindings: StoredFinding[];
  governance: ModelGaps[];
  maturity: MaturityScore;
  changes: ChangeSummary;
  /** The most recent runs, newest first (as `masync status` lists them). */
  runs: RunRow[];
}
