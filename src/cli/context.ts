import type { RunBase } from '../app/run-env';
import { loadRuntime, type Runtime } from '../app/runtime';
import { Redactor } from '../http/redact';
import { createLogger, type LogFormat, type Logger } from '../log/logger';
import type { CliIO } from './io';
import { logBoard, silentBoard, terminalBoard, type ProgressBoard } from './progress';

/** Options every config-reading command accepts. */
export interface CommonOptions {
  config: string;
  logFormat?: 'human' | 'json';
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

/**
 * A runtime whose log lines go above the progress rows on a terminal (so a
 * row never swallows a warning) and as JSON lines elsewhere.
 */
export function openRuntime(io: CliIO, opts: CommonOptions, board?: { current?: ProgressBoard }): Runtime {
  const redactor = new Redactor();
  const rt = loadRuntime(opts.config, {
    registry: io.registry,
    env: io.env,
    redactor,
    makeLogger: (loaded) => {
      const configured = loaded.config.log.format;
      const auto: LogFormat = io.stderr.isTTY ? 'human' : 'json';
      const format: LogFormat = opts.logFormat ?? (configured === 'auto' ? auto : configured);
      const write = (line: string) => (board?.current?.log ? board.current.log(line) : io.stderr.write(line));
      return createLogger({ level: opts.logLevel ?? loaded.config.log.level, format, redactor, write });
    },
  });
  io.stop.graceMs = rt.loaded.config.run.stopGraceSec * 1000;
  // A log read by a machine (JSON off a terminal) gets the signal notice as one of its lines, not as stray text.
  io.stop.notify = (message) => rt.logger.warn(message);
  return rt;
}

/** What a run starts from in the CLI: the runtime's logger, the process's stop signals, progress on the terminal or in the log. */
export function runBase(rt: Runtime, io: CliIO, opts: { full?: boolean; progress?: boolean }, board: { current?: ProgressBoard }): RunBase {
  const logger: Logger = rt.logger;
  board.current = opts.progress === false ? silentBoard : io.stderr.isTTY ? terminalBoard(io.stderr) : logBoard(() => logger);
  const current = board.current;
  return { logger, signal: io.stop.signal, stopping: io.stop.stopping, progressFor: (c) => current.progressFor(c), full: Boolean(opts.full) };
}

/** Runs a command body with a runtime, closing the state file and the progress rows whatever happens. */
export async function withRuntime<T>(io: CliIO, opts: CommonOptions, fn: (rt: Runtime, board: { current?: ProgressBoard }) => Promise<T>): Promise<T> {
  const board: { current?: ProgressBoard } = {};
  const rt = openRuntime(io, opts, board);
  try {
    return await fn(rt, board);
  } finally {
    board.current?.stop();
    board.current = undefined;
    io.stop.notify = undefined;
    rt.close();
  }
}
