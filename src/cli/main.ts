import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { packageRoot } from '../config/package-root';
import { registry } from '../../connectors';
import { describeError, MasyncError } from '../errors';
import { Redactor } from '../http/redact';
import { commandCompletion } from './completion';
import { commandDaemon } from './daemon';
import { commandDemo } from './demo';
import { commandDoctor } from './doctor';
import { commandInit } from './init';
import { write, type CliIO } from './io';
import { commandPlan } from './plan';
import { commandSchema } from './schema';
import { commandStatus } from './status';
import { commandSync } from './sync';

/** Build the program and run one command; returns the exit code. Never exits the process itself. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const program = new Command('masync')
    .description('Keep IT asset records (ServiceNow CMDB) true to the ML models, versions and deployments your platforms hold.')
    .version(version())
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const register of [commandPlan, commandSync, commandStatus, commandDaemon, commandDoctor, commandInit, commandDemo, commandSchema, commandCompletion]) register(program, io);
  try {
    await program.parseAsync(argv);
    return io.exitCode;
  } catch (err) {
    // commander has already printed its message; help and --version exit 0, everything else is a usage error.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 64;
    // Errors are already redacted where they are made; this is the last line of defence.
    const redactor = new Redactor();
    write(io.stderr, `masync: ${redactor.redact(describeError(err))}`);
    return err instanceof MasyncError ? err.exitCode : 1;
  }
}

/** The real process: its streams, environment and signals. */
export async function main(argv: string[]): Promise<number> {
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`\nmasync: ${sig} received, finishing the writes in flight (send it again to stop at once)\n`);
    stop.abort(new Error(`stopped by ${sig}`));
  };
  // once: a second signal gets Node's default behaviour and ends the process.
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return run(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, registry, signal: stop.signal, exitCode: 0 });
}

function version(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
