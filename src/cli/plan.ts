import type { Command } from 'commander';
import { computePlan } from '../app/compute-plan';
import { planToJson, renderPlan } from '../engine/render';
import { withCommonOptions } from './common-options';
import { runContext, withRuntime, type CommonOptions } from './context';
import { write, type CliIO } from './io';

interface PlanOptions extends CommonOptions {
  json?: boolean;
  detailedExitcode?: boolean;
  source?: string[];
}

export function commandPlan(program: Command, io: CliIO): void {
  withCommonOptions(program.command('plan').description('show what a sync would change, writing nothing'))
    .option('--json', 'print the plan as one JSON object')
    .option('--detailed-exitcode', 'exit 2 when changes are pending, 0 when there are none')
    .option('--source <name...>', 'plan only these sources')
    .action(async (opts: PlanOptions) => {
      await withRuntime(io, opts, async (rt) => {
        const { config } = rt.loaded;
        const { plan } = await computePlan(rt, { sourceNames: opts.source, ...config.guard }, runContext(rt, io));
        write(io.stdout, opts.json ? JSON.stringify(planToJson(plan)) : renderPlan(plan, { color: Boolean(io.stdout.isTTY) }));
        io.exitCode = opts.detailedExitcode && plan.ops.length > 0 ? 2 : 0;
      });
    });
}
