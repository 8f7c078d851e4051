import { titleOf } from '../inventory';
import type { StoredFinding } from '../state/findings';
import type { RunRow } from '../state/runs';
import type { ReportData, StateItem } from './types';

type Cell = string | number | boolean | undefined;

/** A dataset's columns, in the order they are written: a contract, as stable as the JSON's. New columns are added at the end. */
interface Dataset<T> {
  columns: readonly string[];
  rows(d: ReportData): readonly T[];
  row(r: T, d: ReportData): readonly Cell[];
}

const join = (list: readonly string[] | undefined) => (list ?? []).join(';');
const KIND_ORDER: Record<string, number> = { model: 0, model_version: 1, deployment: 2 };

const inventory: Dataset<StateItem> = {
  columns: ['kind', 'key', 'source', 'name', 'title', 'version', 'model_key', 'stage', 'aliases', 'status', 'owner', 'cost_center', 'monthly_cost', 'currency', 'cost_estimated', 'cost_basis', 'invocations', 'usage_window_days', 'last_invocation_day', 'endpoint', 'instance_type', 'instance_count', 'region', 'serves', 'findings', 'first_seen', 'changed_at', 'url'],
  // Models, versions, deployments, each by key: the same rows in the same order from the same state.
  rows: (d) => [...d.items].sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  row: (i) => [
    i.kind,
    i.key,
    i.source,
    i.name,
    titleOf(i),
    i.kind === 'model_version' ? i.version : undefined,
    i.kind === 'model_version' ? i.versionOf : undefined,
    i.kind === 'model_version' ? i.stage : undefined,
    i.kind === 'model_version' ? join(i.aliases) : i.kind === 'model' ? join(Object.entries(i.aliases).map(([a, v]) => `${a}=${v}`)) : undefined,
    i.kind === 'model' ? undefined : i.status,
    i.owner,
    i.costCenter,
    i.cost?.monthly,
    i.cost?.currency,
    i.cost?.estimated,
    i.cost?.basis,
    i.usage?.invocations,
    i.usage?.windowDays,
    i.usage?.lastInvocationDay,
    i.kind === 'deployment' ? i.endpoint : undefined,
    i.kind === 'deployment' ? i.instanceType : undefined,
    i.kind === 'deployment' ? i.instanceCount : undefined,
    i.kind === 'deployment' ? i.region : undefined,
    i.kind === 'deployment' ? join(i.serves ?? (i.servesVersionKey ? [i.servesVersionKey] : [])) : undefined,
    join(i.findings?.map((f) => f.type)),
    i.firstSeen,
    i.changedAt,
    i.links.ui,
  ],
};

const findingColumns = ['type', 'key', 'severity', 'detail', 'monthly_waste', 'currency', 'first_seen', 'last_seen', 'cleared_at'] as const;
const findingCells = (f: StoredFinding): Cell[] => [f.type, f.key, f.severity, f.detail, f.monthlyWaste, f.currency, f.firstSeen, f.lastSeen, f.clearedAt];

const findings: Dataset<StoredFinding> = { columns: findingColumns, rows: (d) => d.findings, row: findingCells };

const costs: Dataset<ReportData['costs']['byModel'][number]> = {
  columns: ['model_key', 'model', 'monthly_cost', 'currency', 'estimated'],
  rows: (d) => d.costs.byModel,
  row: (r) => [r.key, r.label, r.monthly, r.currency, r.estimated ?? false],
};

const costCenters: Dataset<ReportData['costs']['byCostCenter'][number]> = {
  columns: ['cost_center', 'monthly_cost', 'currency', 'day'],
  rows: (d) => d.costs.byCostCenter,
  row: (r, d) => [r.label, r.monthly, r.currency, d.costs.costCenterDay],
};

const costTrend: Dataset<ReportData['costs']['trend'][number]> = {
  columns: ['day', 'monthly_cost', 'currency', 'estimated'],
  rows: (d) => d.costs.trend,
  row: (p) => [p.day, p.monthly, p.currency, p.estimated],
};

/** One row per open finding, with the model it counts against. */
const governance: Dataset<{ model: ReportData['governance'][number]; finding: StoredFinding }> = {
  columns: ['model_key', 'model', 'model_owner', ...findingColumns],
  rows: (d) => d.governance.flatMap((model) => model.findings.map((finding) => ({ model, finding }))),
  row: ({ model, finding }) => [model.key, model.title, model.owner, ...findingCells(finding)],
};

/** The overall score first (source empty), then one row per source. */
const maturity: Dataset<{ source: string; score: number; tier: string; governed: number; total: number }> = {
  columns: ['source', 'score', 'tier', 'governed', 'production_models'],
  rows: (d) => [{ source: '', ...d.maturity.overall }, ...d.maturity.bySource],
  row: (r) => [r.source, Math.round(r.score * 1000) / 1000, r.tier, r.governed, r.total],
};

const PLANNED = ['create', 'update', 'retire', 'relate', 'unrelate', 'unchanged'] as const;
const APPLIED = ['create', 'update', 'retire', 'relate', 'unrelate', 'failed', 'unknown'] as const;

const runs: Dataset<RunRow> = {
  columns: ['run_id', 'started_at', 'finished_at', 'status', ...PLANNED.map((op) => `planned_${op}`), ...APPLIED.map((op) => `applied_${op}`), 'errors'],
  rows: (d) => d.runs,
  row: (r) => {
    const summary = r.summary as Record<string, Record<string, number> | undefined> | undefined;
    return [r.id, r.startedAt, r.finishedAt, r.status, ...PLANNED.map((op) => summary?.planned?.[op]), ...APPLIED.map((op) => summary?.applied?.[op]), r.errors.length];
  },
};

export const CSV_DATASETS = { inventory, findings, costs, 'cost-centers': costCenters, 'cost-trend': costTrend, governance, maturity, runs } as const;
export type CsvDataset = keyof typeof CSV_DATASETS;
export const CSV_DATASET_NAMES = Object.keys(CSV_DATASETS) as CsvDataset[];

/** RFC 4180 CSV (CRLF, quoted when needed), UTF-8 without a byte-order mark, header first. */
export function renderCsv(d: ReportData, name: CsvDataset): string {
  const ds = CSV_DATASETS[name] as Dataset<unknown>;
  const lines = [ds.columns.map(cell), ...ds.rows(d).map((r) => ds.row(r, d).map(cell))];
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}

/**
 * One field. Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
 * tab, CR at the start: a model named `=HYPERLINK(…)`) gets a leading `'`,
 * as OWASP advises; numbers this report writes are never prefixed.
 */
function cell(v: Cell): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
