import { maturity, type MaturityBand } from '../enrich/maturity';
import { amount } from '../engine/render';
import type { InventoryItem } from '../inventory';
import type { Db } from '../state/db';
import type { PlannedRun } from './compute-plan';
import { inventoryChanges, openFindingTotals, previousChange, writesByKind } from '../state/change-queries';

/** What one sync changed, stored with the run (`runs.summary.change`) and shown by `masync status`. */
export interface ChangeSummary {
  /** Landed writes per sink and item kind. */
  writes: Array<{ sink: string; kind: string; create: number; update: number; retire: number }>;
  /** What the sources' registry content did, per item kind. */
  inventory: Array<{ kind: string; added: number; changed: number; gone: number }>;
  findings: {
    raised: number;
    cleared: number;
    /** Every open finding after the run, by type and severity (and currency of its waste). */
    open: Array<{ type: string; severity: string; count: number; monthlyWaste: number; currency?: string }>;
  };
  /** Total monthly cost of the deployments read, per currency, and its change since the previous run. */
  cost: Array<{ currency: string; monthly: number; previous?: number; delta?: number }>;
  /** Every source and enricher was read completely: totals compare with another complete run's. */
  complete: boolean;
  maturity: { overall: MaturityBand; bySource: Array<MaturityBand & { source: string }> };
}

export interface ChangeInput {
  /** The run's number and the instant its items were recorded. */
  seq: number;
  at: string;
  items: readonly InventoryItem[];
  findings: { raised: number; cleared: number };
  complete: boolean;
  productionAliases: readonly string[];
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The change summary of a recorded run: writes from the journal, registry
 * changes from the item history, findings from the findings table, cost and
 * maturity from the run's items. A cost delta is given only between two
 * complete runs: a source that was not read would look like a saving.
 */
export function summarizeChange(db: Db, input: ChangeInput): ChangeSummary {
  const totals = new Map<string, number>();
  for (const d of input.items) if (d.kind === 'deployment' && d.cost) totals.set(d.cost.currency, (totals.get(d.cost.currency) ?? 0) + d.cost.monthly);
  const previous = previousChange<ChangeSummary>(db, input.seq);
  const comparable = input.complete && previous?.complete === true;
  const currencies = new Set([...totals.keys(), ...(comparable ? (previous?.cost ?? []).map((c) => c.currency) : [])]);
  const cost = [...currencies].sort().map((currency) => {
    const monthly = round(totals.get(currency) ?? 0);
    const before = comparable ? previous?.cost.find((c) => c.currency === currency)?.monthly : undefined;
    return { currency, monthly, ...(comparable ? { previous: before ?? 0, delta: round(monthly - (before ?? 0)) } : {}) };
  });
  const score = maturity(input.items, input.productionAliases);
  return {
    writes: writesByKind(db, input.seq),
    inventory: inventoryChanges(db, input.at),
    findings: { ...input.findings, open: openFindingTotals(db) },
    cost,
    complete: input.complete,
    maturity: { overall: score.overall, bySource: score.bySource },
  };
}

/** The summary as `masync status` prints it, one line per part. */
export function changeLines(c: ChangeSummary): string[] {
  const lines: string[] = [];
  for (const w of c.writes) lines.push(`${w.sink}: ${kindName(w.kind)} ${counts([[w.create, 'created'], [w.update, 'updated'], [w.retire, 'retired']])}`);
  if (c.writes.length === 0) lines.push('sinks: nothing written');
  const inv = c.inventory.filter((i) => i.added + i.changed + i.gone > 0);
  if (inv.length) lines.push(`sources: ${inv.map((i) => `${kindName(i.kind)} ${counts([[i.added, 'new'], [i.changed, 'changed'], [i.gone, 'gone']])}`).join('; ')}`);
  const open = c.findings.open.reduce((n, f) => n + f.count, 0);
  const byType = new Map<string, number>();
  for (const f of c.findings.open) byType.set(f.type, (byType.get(f.type) ?? 0) + f.count);
  const waste = wasteText(c.findings.open);
  lines.push(`findings: ${c.findings.raised} raised, ${c.findings.cleared} cleared; ${open} open${byType.size ? ` (${[...byType].map(([t, n]) => `${t} ${n}`).join(', ')})` : ''}${waste ? `, wasting ${waste} a month` : ''}`);
  for (const k of c.cost) {
    const delta = k.delta === undefined ? (c.complete ? '' : ' (not every source was read: no comparison)') : ` (${k.delta >= 0 ? '+' : '−'}${amount(Math.abs(k.delta), k.currency)} since the previous run)`;
    lines.push(`cost: ${amount(k.monthly, k.currency)} a month${delta}`);
  }
  const m = c.maturity;
  const per = m.bySource.length > 1 ? `; ${m.bySource.map((s) => `${s.source} ${percent(s.score)} ${s.tier}`).join(', ')}` : '';
  lines.push(m.overall.total === 0 ? 'maturity: no production models' : `maturity: ${percent(m.overall.score)} ${m.overall.tier} (${m.overall.governed} of ${m.overall.total} production models fully governed)${per}`);
  return lines;
}

function counts(parts: Array<[number, string]>): string {
  const shown = parts.filter(([n]) => n > 0);
  return shown.length ? shown.map(([n, what]) => `${n} ${what}`).join(', ') : 'unchanged';
}

function kindName(kind: string): string {
  return kind === 'model_version' ? 'versions' : `${kind}s`;
}

function percent(score: number): string {
  return `${Math.round(score * 100)} %`;
}

function wasteText(open: ChangeSummary['findings']['open']): string {
  const byCurrency = new Map<string, number>();
  for (const f of open) if (f.monthlyWaste > 0) byCurrency.set(f.currency ?? 'USD', (byCurrency.get(f.currency ?? 'USD') ?? 0) + f.monthlyWaste);
  return [...byCurrency].map(([cur, n]) => amount(n, cur)).join(' + ');
}

/** Every source (not a `--source` subset), every scope and every enricher was read: the run saw the whole estate. */
export function readCompletely(planned: Pick<PlannedRun, 'reads' | 'enrichment'>, sources: number): boolean {
  return planned.reads.length === sources && planned.reads.every((r) => r.ok && r.failedScopes.size === 0) && planned.enrichment.errors.length === 0;
}
