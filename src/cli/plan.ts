import type { Command } from 'commander';
import { computePlan } from '../app/compute-plan';
import { writePlanFile } from '../app/plan-file';
import { openRunEnv } from '../app/run-env';
import { planToJson, renderPlan } from '../engine/render';
import { withCommonOptions } from './common-options';
import { runBase, withRuntime, type CommonOptions } from './context';
import { useColor, write, type CliIO } from './io';

interface PlanOptions extends CommonOptions {
  json?: boolean;
  detailedExitcode?: boolean;
  source?: string[];
  out?: string;
  full?: boolean;
  acceptShortRead?: string[];
}

export function commandPlan(program: Command, io: CliIO): void {
  withCommonOptions(program.command('plan').description('show what a sync would change, writing nothing'), io.env)
    .option('--json', 'print the plan as one JSON object')
    .option('--detailed-exitcode', 'exit 2 when changes are pending, 0 when there are none')
    .option('--source <name...>', 'plan only these sources')
    .option('--out <file>', 'also save the plan, for `masync sync --plan FILE` to apply exactly')
    .option('--full', 'read everything in full (no incremental reads, no cached lineage)')
    .option('--accept-short-read <source...>', 'accept a source that returned far fewer items than before as really smaller')
    .addHelpText('after', '\nExamples:\n  masync plan\n  masync plan --json | jq .summary\n  masync plan --out plan.json && masync sync --plan plan.json')
    .action(async (opts: PlanOptions) => {
      await withRuntime(io, opts, async (rt, board) => {
        const env = openRunEnv(rt, runBase(rt, io, { full: opts.full, progress: !opts.json || !io.stderr.isTTY }, board));
        const planOpts = { sourceNames: opts.source, acceptShortRead: opts.acceptShortRead };
        const planned = await computePlan(rt, env, planOpts);
        board.current?.stop();
        if (opts.out) writePlanFile(opts.out, rt, planned, planOpts);
        write(io.stdout, opts.json ? JSON.stringify(planToJson(planned.plan)) : renderPlan(planned.plan, { color: useColor(io) }));
        if (opts.out && !opts.json) write(io.stdout, `Saved the plan to ${opts.out}. Apply exactly this plan with: masync sync --plan ${opts.out}`);
        io.exitCode = opts.detailedExitcode && planned.plan.ops.length > 0 ? 2 : 0;
      });
    });
}
