import { maturity } from '../enrich/maturity';
import { costCenterTotals, costTrend } from '../state/costs';
import type { Db } from '../state/db';
import { listFindings } from '../state/findings';
import { currentItems, goneKeys } from '../state/items';
import type { KeyIds } from '../state/keys';
import { recentRuns } from '../state/runs';
import { changeSummary } from './changes';
import { costBreakdown } from './costs';
import { endpointFindings, gapsByModel } from './governance';
import type { ReportData } from './types';

export interface GatherOptions {
  now: Date;
  /** Aliases that mean production (`policies.unservedProduction.productionAliases`), for the maturity score. */
  productionAliases?: readonly string[];
  /** How many recent runs to list. */
  runs?: number;
}

/** Everything a report shows, read from the state file: no connector, no secret, nothing written. */
export function gatherReport(db: Db, keys: KeyIds, opts: GatherOptions): ReportData {
  const items = currentItems(db, keys);
  const all = listFindings(db, keys, { all: true });
  const open = all.filter((f) => !f.clearedAt);
  const runs = recentRuns(db, opts.runs ?? 10);
  return {
    generatedAt: opts.now.toISOString(),
    items,
    findings: open,
    costs: costBreakdown(items, costCenterTotals(db), costTrend(db)),
    endpointFindings: endpointFindings(items, open, goneKeys(db, keys, 'deployment')),
    governance: gapsByModel(items, open),
    maturity: maturity(items, opts.productionAliases),
    changes: changeSummary(runs, all),
    runs,
  };
}
