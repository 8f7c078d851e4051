import { JSON_FORMAT_VERSION } from '../engine/render';
import type { PlanSummary } from '../engine/types';
import type { AppliedCounts, SyncResult } from './sync-run';

/** What landed, counted from the journal: `20 created, 15 related` (`nothing written` when nothing did). */
export function appliedText(a: AppliedCounts): string {
  const parts = [
    [a.create, 'created'],
    [a.update, 'updated'],
    [a.retire, 'retired'],
    [a.relate, 'related'],
    [a.unrelate, 'unrelated'],
    [a.failed, 'failed'],
    [a.unknown, 'with unknown outcome'],
    [a.skipped, 'not started'],
  ].filter(([n]) => (n as number) > 0);
  return parts.length ? parts.map(([n, what]) => `${n} ${what}`).join(', ') : 'nothing written';
}

/** What was planned, tersely: `20 to create, 15 to relate, 3 unchanged`. */
export function plannedText(p: PlanSummary): string {
  const parts = (['create', 'update', 'retire', 'relate', 'unrelate'] as const).filter((k) => p[k] > 0).map((k) => `${p[k]} to ${k}`);
  return [...parts, `${p.unchanged} unchanged`].join(', ');
}

/** One line for a finished run, the same in the CLI, the daemon's log, status and the demo. */
export function runLine(r: Pick<SyncResult, 'runId' | 'status' | 'planned' | 'applied' | 'durationMs'>): string {
  return `run ${r.runId}: ${r.status} — planned ${plannedText(r.planned)}; applied: ${appliedText(r.applied)} (${(r.durationMs / 1000).toFixed(2)} s)`;
}

/** The `sync --json` contract. */
export function syncToJson(r: SyncResult): Record<string, unknown> {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    runId: r.runId,
    status: r.status,
    planned: r.planned,
    applied: r.applied,
    errors: r.errors,
    notes: r.notes,
    held: r.held,
    ...(r.blocked ? { blocked: r.blocked } : {}),
    ...(r.massRetireAllowed ? { massRetireAllowed: r.massRetireAllowed } : {}),
    durationMs: r.durationMs,
  };
}
