import type { Command } from 'commander';
import { runLine, runSync, type SyncResult } from '../app/sync-run';
import { renderPlan } from '../engine/render';
import { intOption, withCommonOptions } from './common-options';
import { runContext, withRuntime, type CommonOptions } from './context';
import { write, type CliIO } from './io';

interface SyncOptions extends CommonOptions {
  json?: boolean;
  source?: string[];
  allowMassRetire?: boolean;
  wait: number;
  concurrency: number;
}

/** Exit codes of `masync sync`, documented in the README. */
export const SYNC_EXIT = { ok: 0, failed: 1, partial: 3, blocked: 4, running: 1 } as const;

export function commandSync(program: Command, io: CliIO): void {
  withCommonOptions(program.command('sync').description('bring every sink in line with the sources'))
    .option('--json', 'print the run result as one JSON object')
    .option('--source <name...>', 'sync only these sources (records of the others are left alone)')
    .option('--allow-mass-retire', 'apply even when more records would be retired than guard.maxRetireFraction allows')
    .option('--wait <seconds>', 'wait this long for another run to finish instead of refusing', intOption(0, 86_400), 0)
    .option('--concurrency <n>', 'writes in flight at once', intOption(1, 64), 4)
    .action(async (opts: SyncOptions) => {
      await withRuntime(io, opts, async (rt) => {
        const result = await runSync(
          rt,
          {
            sourceNames: opts.source,
            ...rt.loaded.config.guard,
            allowMassRetire: Boolean(opts.allowMassRetire),
            waitMs: opts.wait * 1000,
            concurrency: opts.concurrency,
          },
          runContext(rt, io),
        );
        write(io.stdout, opts.json ? JSON.stringify(syncToJson(result)) : renderSync(result, Boolean(io.stdout.isTTY)));
        io.exitCode = SYNC_EXIT[result.status];
      });
    });
}

/** The `sync --json` contract. */
export function syncToJson(r: SyncResult): Record<string, unknown> {
  return { runId: r.runId, status: r.status, summary: r.summary, writes: r.writes, errors: r.errors };
}

export function renderSync(r: SyncResult, color: boolean): string {
  const parts: string[] = [];
  if (r.plan) parts.push(renderPlan(r.plan, { color }).trimEnd());
  for (const e of r.errors) parts.push(`error: ${e}`);
  parts.push(runLine(r));
  return parts.join('\n') + '\n';
}
