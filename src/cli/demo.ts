import type { Command } from 'commander';
import { runDemo } from '../sandbox/demo';
import { useColor, write, type CliIO } from './io';

interface DemoOptions {
  keep?: boolean;
  dir?: string;
}

export function commandDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('run a full sync against local MLflow and ServiceNow emulators (what `npm start` does)')
    .option('--keep', 'leave the emulators running afterwards, to try commands against them')
    .option('--dir <dir>', 'folder for the sandbox config and state (default: a new temp folder)')
    .action(async (opts: DemoOptions) => {
      const box = await runDemo(
        { out: (t) => write(io.stdout, t), stderr: io.stderr, env: io.env, registry: io.registry, signal: io.stop.stopping, color: useColor(io) },
        { keep: Boolean(opts.keep), dir: opts.dir },
      );
      if (box) {
        await new Promise<void>((resolve) => io.stop.stopping.addEventListener('abort', () => resolve(), { once: true }));
        await box.stop();
      }
    });
}
