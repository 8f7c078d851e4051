import { loadRuntime, type Runtime } from '../app/runtime';
import { silentProgress, standaloneContext, type RunContext } from '../engine/types';
import { Redactor } from '../http/redact';
import { createLogger, type LogFormat } from '../log/logger';
import type { CliIO } from './io';
import { ttyProgress } from './progress';

/** Options every config-reading command accepts. */
export interface CommonOptions {
  config: string;
  logFormat?: 'human' | 'json';
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

export function openRuntime(io: CliIO, opts: CommonOptions): Runtime {
  const redactor = new Redactor();
  return loadRuntime(opts.config, {
    registry: io.registry,
    env: io.env,
    redactor,
    makeLogger: (loaded) => {
      const configured = loaded.config.log.format;
      const auto: LogFormat = io.stderr.isTTY ? 'human' : 'json';
      const format: LogFormat = opts.logFormat ?? (configured === 'auto' ? auto : configured);
      return createLogger({ level: opts.logLevel ?? loaded.config.log.level, format, redactor, stream: io.stderr });
    },
  });
}

export function runContext(rt: Runtime, io: CliIO): RunContext {
  return { ...standaloneContext(rt.logger, rt.clock, io.signal), full: false, progress: io.stderr.isTTY ? ttyProgress(io.stderr) : silentProgress };
}

/** Runs a command body with a runtime, closing the state file whatever happens. */
export async function withRuntime<T>(io: CliIO, opts: CommonOptions, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = openRuntime(io, opts);
  try {
    return await fn(rt);
  } finally {
    rt.close();
  }
}
