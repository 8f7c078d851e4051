import type { Command } from 'commander';
import { renderStatus, statusReport } from '../app/status';
import { intOption, withCommonOptions } from './common-options';
import { withRuntime, type CommonOptions } from './context';
import { write, type CliIO } from './io';

interface StatusOptions extends CommonOptions {
  json?: boolean;
  limit: number;
}

export function commandStatus(program: Command, io: CliIO): void {
  withCommonOptions(program.command('status').description('show recent runs and what masync tracks'))
    .option('--json', 'print as one JSON object')
    .option('--limit <n>', 'how many runs to show', intOption(1, 1000), 10)
    .action(async (opts: StatusOptions) => {
      await withRuntime(io, opts, async (rt) => {
        const report = statusReport(rt.db, opts.limit);
        write(io.stdout, opts.json ? JSON.stringify(report) : renderStatus(report));
      });
    });
}
