import winston from 'winston';
import type { Redactor } from '../http/redact';

/** The logging surface everything below the CLI uses; winston stays behind it. */
export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export type LogFormat = 'human' | 'json';

export interface LoggerOptions {
  level: string;
  format: LogFormat;
  redactor: Redactor;
  /** Where log lines go; stderr by default so stdout stays clean for plans and JSON. */
  stream?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const redact = winston.format((info) => {
    const copy = opts.redactor.redactValue({ ...info });
    Object.assign(info, copy);
    return info;
  });
  const format =
    opts.format === 'json'
      ? winston.format.combine(redact(), winston.format.timestamp(), winston.format.json())
      : winston.format.combine(
          redact(),
          winston.format.printf(({ level, message, ...meta }) => {
            const extra = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
            return `${level.padEnd(5)} ${String(message)}${extra}`;
          }),
        );
  return winston.createLogger({
    level: opts.level,
    format,
    transports: [new winston.transports.Stream({ stream: opts.stream ?? process.stderr })],
  });
}

/** A logger that drops everything; for tests and library use. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
