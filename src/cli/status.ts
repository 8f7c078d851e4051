import type { Command } from 'commander';
import { renderStatus, statusReport } from '../app/status';
import { withCommonOptions } from './common-options';
import { withRuntime, type CommonOptions } from './context';
import { write, type CliIO } from './io';

interface StatusOptions extends CommonOptions {
  json?: boolean;
  limit: string;
}

export function commandStatus(program: Command, io: CliIO): void {
  withCommonOptions(program.command('status').description('show recent runs and what masync tracks'))
    .option('--json', 'print as one JSON object')
    .option('--limit <n>', 'how many runs to show', '10')
    .action(async (opts: StatusOptions) => {
      await withRuntime(io, opts, async (rt) => {
        const report = statusReport(rt.db, Math.max(1, Number(opts.limit) || 10));
        write(io.stdout, opts.json ? JSON.stringify(report) : renderStatus(report));
      });
    });
}
