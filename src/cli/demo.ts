import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { sandboxParts } from '../../connectors/sandbox';
import { runDemo } from '../sandbox/demo';
import { commandFindings } from './findings';
import { commandInit } from './init';
import { useColor, write, type CliIO } from './io';
import { commandStatus } from './status';

interface DemoOptions {
  keep?: boolean;
  dir?: string;
}

export function commandDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('sync local MLflow, W&B and SageMaker emulators (with CloudWatch and Cost Explorer) into ServiceNow and Jira Assets emulators (what `npm start` does)')
    .option('--keep', 'leave the emulators running afterwards, to try commands against them')
    .option('--dir <dir>', 'folder for the sandbox config and state (default: a new temp folder)')
    .action(async (opts: DemoOptions) => {
      const box = await runDemo(
        {
          out: (t) => write(io.stdout, t),
          stderr: io.stderr,
          env: io.env,
          registry: io.registry,
          signal: io.stop.stopping,
          color: useColor(io),
          command: (argv, env) => runCommand(io, argv, env),
        },
        sandboxParts,
        { keep: Boolean(opts.keep), dir: opts.dir },
      );
      if (box) {
        await new Promise<void>((resolve) => io.stop.stopping.addEventListener('abort', () => resolve(), { once: true }));
        // Ctrl-C is how a kept sandbox ends: a clean stop, exit 0.
        io.stop.expected = true;
        await box.stop();
      }
    });
}

/** One of the commands the tour shows, run as `masync <argv>` would run it, its output captured. */
async function runCommand(io: CliIO, argv: string[], env: Record<string, string>): Promise<string> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const sub: CliIO = { ...io, stdout, env: { ...io.env, ...env }, exitCode: 0 };
  const program = new Command('masync').exitOverride();
  for (const register of [commandInit, commandFindings, commandStatus]) register(program, sub);
  await program.parseAsync(argv, { from: 'user' });
  // Whatever the stream has not handed on yet arrives before the next turn.
  await new Promise((resolve) => setImmediate(resolve));
  if (sub.exitCode !== 0) throw new Error(`masync ${argv.join(' ')} exited ${sub.exitCode}:\n${out}`);
  return out;
}
