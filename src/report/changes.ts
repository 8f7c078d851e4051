import { changeLines, type ChangeSummary as StoredChange } from '../app/change-summary';
import type { StoredFinding } from '../state/findings';
import type { RunRow } from '../state/runs';
import type { ChangeSummary } from './types';

/**
 * What the latest finished run did: its planned and applied counts, the
 * change summary it stored (in the words `masync status` uses), and the
 * findings first seen or cleared since it started (the findings table is the
 * truth for those, with or without a summary). Pure.
 */
export function changeSummary(runs: readonly RunRow[], findings: readonly StoredFinding[]): ChangeSummary {
  const run = runs.find((r) => r.status !== 'running');
  if (!run) return { details: [], raised: [], cleared: [] };
  const summary = isRecord(run.summary) ? run.summary : {};
  const change = isRecord(summary.change) ? (summary.change as unknown as StoredChange) : undefined;
  return {
    run,
    ...(counts(summary.planned) ? { planned: counts(summary.planned) } : {}),
    ...(counts(summary.applied) ? { applied: counts(summary.applied) } : {}),
    ...(change ? { change } : {}),
    details: change ? changeLines(change) : [],
    raised: findings.filter((f) => f.firstSeen >= run.startedAt),
    cleared: findings.filter((f) => f.clearedAt !== undefined && f.clearedAt >= run.startedAt),
  };
}

function counts(v: unknown): Record<string, number> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(v)) if (typeof n === 'number') out[k] = n;
  return Object.keys(out).length ? out : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
