import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { readPlanFile } from '../app/plan-file';
import { runLine, syncToJson } from '../app/run-text';
import { runSync, type SyncResult, type SyncStatus } from '../app/sync-run';
import { JSON_FORMAT_VERSION, renderPlan } from '../engine/render';
import { LockedError } from '../errors';
import { intOption, withCommonOptions } from './common-options';
import { runBase, withRuntime, type CommonOptions } from './context';
import { useColor, write, type CliIO } from './io';

interface SyncOptions extends CommonOptions {
  json?: boolean;
  source?: string[];
  allowMassRetire?: boolean;
  acceptShortRead?: string[];
  wait: number;
  concurrency?: number;
  plan?: string;
  yes?: boolean;
  full?: boolean;
}

/** Exit codes of `masync sync`, documented in the README (a stop by signal exits 130/143, set by main). */
export const SYNC_EXIT: Record<SyncStatus, number> = { ok: 0, failed: 1, partial: 3, blocked: 4, running: 1, interrupted: 1, cancelled: 1 };

export function commandSync(program: Command, io: CliIO): void {
  withCommonOptions(program.command('sync').description('bring every sink in line with the sources'), io.env)
    .option('--json', 'print the run result as one JSON object')
    .option('--source <name...>', 'sync only these sources (records of the others are left alone)')
    .option('--plan <file>', 'apply exactly this saved plan (from `masync plan --out`); refused if anything changed since')
    .option('-y, --yes', 'apply without asking (a terminal is asked to confirm the plan; scripts never are)')
    .option('--allow-mass-retire', 'apply even when more records would be retired than guard.maxRetireFraction allows')
    .option('--accept-short-read <source...>', 'accept a source that returned far fewer items than before as really smaller')
    .option('--full', 'read everything in full (no incremental reads, no cached lineage)')
    .option('--wait <seconds>', 'wait this long for another run to finish instead of refusing', intOption(0, 86_400), 0)
    .option('--concurrency <n>', 'batches in flight at once (default: run.concurrency)', intOption(1, 64))
    .addHelpText('after', '\nExamples:\n  masync sync                         show the plan, ask, apply\n  masync sync --yes --json            in a pipeline\n  masync sync --plan plan.json        apply a reviewed plan\n  masync sync --source mlflow-prod    one source only')
    .action(async (opts: SyncOptions) => {
      await withRuntime(io, opts, async (rt, board) => {
        const planFile = opts.plan ? readPlanFile(opts.plan) : undefined;
        const ask = !opts.yes && !opts.json && !planFile && Boolean(io.stdin.isTTY) && Boolean(io.stdout.isTTY);
        let result: SyncResult;
        try {
          result = await runSync(
            rt,
            {
              sourceNames: opts.source ?? planFile?.options.sourceNames,
              acceptShortRead: opts.acceptShortRead ?? planFile?.options.acceptShortRead,
              allowMassRetire: Boolean(opts.allowMassRetire),
              waitMs: opts.wait * 1000,
              concurrency: opts.concurrency,
              planFile,
              beforeApply: opts.json
                ? undefined
                : async (plan) => {
                    board.current?.stop();
                    write(io.stdout, renderPlan(plan, { color: useColor(io) }));
                    return !ask || plan.ops.length === 0 || confirm(io);
                  },
            },
            runBase(rt, io, { full: opts.full }, board),
          );
        } catch (err) {
          if (!(err instanceof LockedError) || !opts.json) throw err;
          write(io.stdout, JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, status: 'locked', error: err.message, holder: err.props.holder }));
          io.exitCode = err.exitCode;
          return;
        }
        board.current?.stop();
        write(io.stdout, opts.json ? JSON.stringify(syncToJson(result)) : renderSync(result));
        io.exitCode = SYNC_EXIT[result.status];
      });
    });
}

async function confirm(io: CliIO): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stdout });
  try {
    const answer = await rl.question('Apply this plan? Only "yes" applies it: ');
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** What a sync did, after the plan it showed before applying. */
export function renderSync(r: SyncResult): string {
  const parts: string[] = [];
  if (r.massRetireAllowed) parts.push(`Mass retirement allowed: ${r.massRetireAllowed}`);
  if (r.blocked) parts.push(`Blocked: ${r.blocked}`);
  if (r.status === 'cancelled') parts.push('Cancelled: nothing was applied.');
  for (const e of r.errors) parts.push(`error: ${e}`);
  parts.push(runLine(r));
  return parts.join('\n') + '\n';
}
