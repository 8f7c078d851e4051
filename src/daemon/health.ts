import type { PlanSummary } from '../engine/types';
import type { AppliedCounts } from '../app/sync-run';

/** What the daemon knows of its runs, for /healthz. */
export interface HealthState {
  startedAt: string;
  running: boolean;
  maxSuccessAgeSec: number;
  /** `planned` is what the run meant to do, `applied` what the journal says landed; `writes` and `errors` sum them up. */
  lastRun?: { runId: string; status: string; finishedAt: string; writes: number; errors: number; planned?: PlanSummary; applied?: AppliedCounts };
  lastSuccessAt?: string;
}

export interface Health {
  /** 200 when healthy; 503 when the last run failed or was blocked, or no run succeeded for too long. */
  httpStatus: number;
  body: Record<string, unknown>;
}

/**
 * Healthy means syncing: the last run did not fail or get blocked, and a run
 * succeeded (ok or partial) within the bound — counted from the start while
 * no run has finished yet.
 */
export function healthOf(h: HealthState, now: Date): Health {
  const since = h.lastSuccessAt ?? h.startedAt;
  const ageSec = Math.round((now.getTime() - Date.parse(since)) / 1000);
  const problems: string[] = [];
  if (h.lastRun && (h.lastRun.status === 'failed' || h.lastRun.status === 'blocked')) problems.push(`the last run ${h.lastRun.status}`);
  if (ageSec > h.maxSuccessAgeSec) problems.push(h.lastSuccessAt ? `no successful run for ${ageSec} s (more than ${h.maxSuccessAgeSec} s)` : `no successful run in the ${ageSec} s since start`);
  return {
    httpStatus: problems.length ? 503 : 200,
    body: { status: problems.length ? 'unhealthy' : 'ok', problems, lastSuccessAgeSec: h.lastSuccessAt ? ageSec : null, ...h },
  };
}
