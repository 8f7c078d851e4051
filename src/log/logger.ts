import { AsyncLocalStorage } from 'node:async_hooks';
import { Writable } from 'node:stream';
import winston from 'winston';
import type { Redactor } from '../http/redact';

/** The logging surface everything below the CLI uses; winston stays behind it. */
export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
  /** A logger whose every line also carries `meta` (e.g. the connector). */
  child(meta: Record<string, unknown>): Logger;
}

export type LogFormat = 'human' | 'json';

export interface LoggerOptions {
  level: string;
  format: LogFormat;
  redactor: Redactor;
  /** Where log lines go; stderr by default so stdout stays clean for plans and JSON. */
  stream?: NodeJS.WritableStream;
  /** Instead of `stream`: called with each line, e.g. to print it above a progress display. */
  write?: (line: string) => void;
}

const runScope = new AsyncLocalStorage<{ runId: string }>();

/**
 * Run `fn` with every log line inside it, however deep (the HTTP layer
 * included), carrying the run id.
 */
export function withRunId<T>(runId: string, fn: () => T): T {
  return runScope.run({ runId }, fn);
}

export function createLogger(opts: LoggerOptions): Logger {
  const redact = winston.format((info) => {
    const run = runScope.getStore();
    if (run && info.runId === undefined) info.runId = run.runId;
    const copy = opts.redactor.redactValue({ ...info });
    Object.assign(info, copy);
    return info;
  });
  const format =
    opts.format === 'json'
      ? winston.format.combine(redact(), winston.format.timestamp(), winston.format.json())
      : winston.format.combine(
          redact(),
          winston.format.printf(({ level, message, runId, connector, ...meta }) => {
            const extra = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
            const where = connector ? `[${String(connector)}] ` : '';
            return `${level.padEnd(5)} ${where}${String(message)}${extra}${runId ? ` (run ${String(runId)})` : ''}`;
          }),
        );
  const write = opts.write;
  const out: NodeJS.WritableStream = write
    ? new Writable({
        write(chunk: Buffer, _encoding, done) {
          write(chunk.toString('utf8'));
          done();
        },
      })
    : (opts.stream ?? process.stderr);
  return wrap(winston.createLogger({ level: opts.level, format, transports: [new winston.transports.Stream({ stream: out })] }));
}

function wrap(w: winston.Logger): Logger {
  return {
    debug: (m, meta) => void w.debug(m, meta),
    info: (m, meta) => void w.info(m, meta),
    warn: (m, meta) => void w.warn(m, meta),
    error: (m, meta) => void w.error(m, meta),
    child: (meta) => wrap(w.child(meta)),
  };
}

/** A logger that drops everything; for tests and library use. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };
