import type { StoredFinding } from '../state/findings';
import type { RunRow } from '../state/runs';
import type { ChangeSummary } from './types';

const MAX_DETAILS = 60;

/**
 * What the latest finished run did: its planned and applied counts, whatever
 * else its summary records (read generically, so a richer change summary
 * shows without this code knowing its shape), and the findings first seen or
 * cleared since it started (the findings table is the truth for those, with
 * or without a summary). Pure.
 */
export function changeSummary(runs: readonly RunRow[], findings: readonly StoredFinding[]): ChangeSummary {
  const run = runs.find((r) => r.status !== 'running');
  if (!run) return { details: [], raised: [], cleared: [] };
  const summary = isRecord(run.summary) ? run.summary : {};
  const details: ChangeSummary['details'] = [];
  for (const [k, v] of Object.entries(summary)) if (k !== 'planned' && k !== 'applied') flatten(v, [k], details);
  return {
    run,
    ...(counts(summary.planned) ? { planned: counts(summary.planned) } : {}),
    ...(counts(summary.applied) ? { applied: counts(summary.applied) } : {}),
    details: details.slice(0, MAX_DETAILS),
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

function flatten(v: unknown, path: string[], out: ChangeSummary['details']): void {
  if (out.length >= MAX_DETAILS || path.length > 5) return;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out.push({ label: path.map(words).join(' › '), value: v });
  else if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string' || typeof x === 'number')) out.push({ label: path.map(words).join(' › '), value: v.join(', ') });
  } else if (isRecord(v)) for (const [k, x] of Object.entries(v)) flatten(x, [...path, k], out);
}

/** `costDelta` → `cost delta`, `findings_raised` → `findings raised`. */
function words(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
