import type { Command } from 'commander';
import { renderStatus, statusReport } from '../app/status';
import { loadStatePath } from '../config/load';
import { withState } from './state-only';
import { intOption, withCommonOptions } from './common-options';
import type { CommonOptions } from './context';
import { write, type CliIO } from './io';

interface StatusOptions extends CommonOptions {
  json?: boolean;
  limit: number;
}

/** Reads the state file only: no connector is built, so no secret is needed, and a missing state file is not created. */
export function commandStatus(program: Command, io: CliIO): void {
  withCommonOptions(program.command('status').description('show recent runs and what masync tracks (needs no credentials)'), io.env)
    .option('--json', 'print as one JSON object')
    .option('--limit <n>', 'how many runs to show', intOption(1, 1000), 10)
    .action((opts: StatusOptions) => {
      const { statePath } = loadStatePath(opts.config, io.env);
      const empty = opts.json ? { runs: [], items: [], links: [], stateFile: null } : `No state file at ${statePath} yet: run \`masync sync\` first.`;
      withState(statePath, io, empty, (db) => {
        const report = statusReport(db, opts.limit);
        write(io.stdout, opts.json ? JSON.stringify(report) : renderStatus(report));
      });
    });
}
