import type { Command } from 'commander';
import { runDaemon } from '../daemon/daemon';
import { UsageError } from '../errors';
import { intOption, withCommonOptions } from './common-options';
import { runContext, withRuntime, type CommonOptions } from './context';
import type { CliIO } from './io';

interface DaemonCliOptions extends CommonOptions {
  runOnStart?: boolean;
  port?: number;
}

export function commandDaemon(program: Command, io: CliIO): void {
  withCommonOptions(program.command('daemon').description('sync on the config\'s cron schedule until SIGTERM/SIGINT; serves /healthz and /metrics'))
    .option('--run-on-start', 'run one sync right away instead of waiting for the first scheduled time')
    .option('--port <port>', 'port for /healthz and /metrics (overrides daemon.port; 0 turns them off)', intOption(0, 65535))
    .action(async (opts: DaemonCliOptions) => {
      await withRuntime(io, opts, async (rt) => {
        const { config } = rt.loaded;
        if (!config.schedule) throw new UsageError(`${rt.loaded.file}: schedule: the daemon needs a cron schedule, e.g. schedule: "*/15 * * * *"`);
        await runDaemon(
          rt,
          {
            schedule: config.schedule,
            runOnStart: Boolean(opts.runOnStart),
            host: config.daemon.host,
            port: opts.port ?? config.daemon.port,
            sync: { ...config.guard, allowMassRetire: false, waitMs: 0, concurrency: 4 },
          },
          runContext(rt, io),
        );
      });
    });
}
