import { registry } from '../../connectors';
import type { RunBase } from '../../src/app/run-env';
import { loadRuntime } from '../../src/app/runtime';
import { runSync } from '../../src/app/sync-run';
import { limitHeapGrowth } from '../../src/cli/heap-growth';
import { silentProgress } from '../../src/engine/types';
import { Redactor } from '../../src/http/redact';
import { createLogger } from '../../src/log/logger';

/**
 * One sync in this process, as `masync sync --yes` runs it, for the
 * benchmark to time and measure: prints one JSON line with the run's result,
 * its wall time and the process's peak RSS. Warnings go to stderr.
 *
 *   node dist/test/bench/sync-once.js <config> [--full]
 */
export interface SyncOnce {
  status: string;
  planned: Record<string, number>;
  applied: Record<string, number>;
  errors: string[];
  /** The sync itself, from before the runtime loads to after the state is recorded. */
  wallMs: number;
  /** Since the process started: module loading included. */
  processMs: number;
  /** CPU time of the process (user + system): what wall time would be on an idle machine, less waiting on the network. */
  cpuMs: number;
  /** process.resourceUsage().maxRSS, in MB. */
  peakRssMb: number;
}

async function main(): Promise<void> {
  const [configFile, ...flags] = process.argv.slice(2);
  if (!configFile) throw new Error('usage: sync-once <config> [--full]');
  const started = performance.now();
  limitHeapGrowth();
  const redactor = new Redactor();
  const rt = loadRuntime(configFile, { registry, env: process.env, redactor, makeLogger: () => createLogger({ level: 'warn', format: 'json', redactor, stream: process.stderr }) });
  const never = new AbortController().signal;
  const base: RunBase = { logger: rt.logger, signal: never, stopping: never, progressFor: () => silentProgress, full: flags.includes('--full') };
  try {
    const r = await runSync(rt, { allowMassRetire: false, waitMs: 0 }, base);
    const out: SyncOnce = {
      status: r.status,
      planned: { ...r.planned },
      applied: { ...r.applied },
      errors: r.errors,
      wallMs: Math.round(performance.now() - started),
      processMs: Math.round(performance.now()),
      cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    rt.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`sync-once failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
