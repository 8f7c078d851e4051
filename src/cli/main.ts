import { Command, CommanderError } from 'commander';
import { packageVersion } from '../config/package-root';
import { registry } from '../../connectors';
import { describeError, MasyncError } from '../errors';
import { Redactor } from '../http/redact';
import { commandAudit } from './audit';
import { commandCompletion } from './completion';
import { commandDaemon } from './daemon';
import { commandDemo } from './demo';
import { commandDoctor } from './doctor';
import { commandFindings } from './findings';
import { limitHeapGrowth } from './heap-growth';
import { commandHistory } from './history';
import { commandInit } from './init';
import { write, type CliIO } from './io';
import { commandPlan } from './plan';
import { commandReport } from './report';
import { commandSchema } from './schema';
import { commandStatus } from './status';
import { routeProcessWarnings } from './process-warnings';
import { processStopControl, signalExitCode } from './stop';
import { commandSync } from './sync';

const EXAMPLES = `
Examples:
  masync init                         write a commented masync.yaml to start from
  masync doctor                       check the config, credentials and permissions
  masync plan --out plan.json         see what a sync would change, and save it for review
  masync sync --plan plan.json        apply exactly that plan (refused if anything changed since)
  masync sync --source mlflow-prod    sync one source, e.g. from a promotion pipeline
  masync daemon                       sync on the config's schedule, with /healthz and /metrics

The config is ./masync.yaml unless -c FILE or MASYNC_CONFIG says otherwise.`;

/** Build the program and run one command; returns the exit code. Never exits the process itself. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const program = new Command('masync')
    .description('Keep IT asset records (ServiceNow CMDB, Jira Assets) true to the ML models, versions and deployments your platforms hold.')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText('after', EXAMPLES);
  for (const register of [commandPlan, commandSync, commandStatus, commandFindings, commandAudit, commandHistory, commandReport, commandDaemon, commandDoctor, commandInit, commandDemo, commandSchema, commandCompletion]) register(program, io);
  let code: number;
  try {
    await program.parseAsync(argv);
    code = io.exitCode;
  } catch (err) {
    // commander has already printed its message; help and --version exit 0, everything else is a usage error.
    if (err instanceof CommanderError) code = err.exitCode === 0 ? 0 : 64;
    else {
      // Errors are already redacted where they are made; this is the last line of defence.
      write(io.stderr, `masync: ${new Redactor().redact(describeError(err))}`);
      code = err instanceof MasyncError ? err.exitCode : 1;
    }
  }
  return io.stop.received && !io.stop.expected ? signalExitCode(io.stop.received) : code;
}

/** The real process: its streams, environment and signals. */
export async function main(argv: string[]): Promise<number> {
  limitHeapGrowth();
  const stop = processStopControl(process.stderr);
  const restoreWarnings = routeProcessWarnings(process.stderr, stop);
  try {
    return await run(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, registry, stop, exitCode: 0 });
  } finally {
    restoreWarnings();
    stop.dispose();
  }
}

