import type { Command } from 'commander';
import { runDaemon } from '../daemon/daemon';
import { UsageError } from '../errors';
import { intOption, withCommonOptions } from './common-options';
import { runBase, withRuntime, type CommonOptions } from './context';
import { logBoard } from './progress';
import type { CliIO } from './io';

interface DaemonCliOptions extends CommonOptions {
  runOnStart?: boolean;
  port?: number;
}

export function commandDaemon(program: Command, io: CliIO): void {
  withCommonOptions(program.command('daemon').description('sync on the config\'s cron schedule until SIGTERM/SIGINT; serves /healthz and /metrics'), io.env)
    .option('--run-on-start', 'run one sync right away instead of waiting for the first scheduled time')
    .option('--port <port>', 'port for /healthz and /metrics (overrides daemon.port; 0 turns them off)', intOption(0, 65535))
    .action(async (opts: DaemonCliOptions) => {
      await withRuntime(io, opts, async (rt, board) => {
        const { config } = rt.loaded;
        if (!config.schedule) throw new UsageError(`${rt.loaded.file}: schedule: the daemon needs a cron schedule, e.g. schedule: "*/15 * * * *"`);
        // A stop signal is how a daemon ends: a clean stop exits 0, not 143.
        io.stop.expected = true;
        const progress = logBoard(() => rt.logger);
        await runDaemon(
          rt,
          {
            schedule: config.schedule,
            runOnStart: Boolean(opts.runOnStart),
            host: config.daemon.host,
            port: opts.port ?? config.daemon.port,
            maxSuccessAgeSec: config.daemon.maxSuccessAgeSec,
            sync: { allowMassRetire: false, waitMs: 0 },
          },
          // Progress goes to the log as JSON lines, whatever the terminal: a daemon's output is a log.
          { ...runBase(rt, io, { progress: false }, board), progressFor: progress.progressFor },
        ).finally(() => progress.stop());
      });
    });
}
