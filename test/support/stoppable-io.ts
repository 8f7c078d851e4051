import { PassThrough } from 'node:stream';
import { registry } from '../../connectors';
import type { CliIO } from '../../src/cli/io';

export interface StoppableIo extends CliIO {
  out(): string;
  err(): string;
  /** Type a line at the prompt (stdin). */
  answer(line: string): void;
  /** What a first SIGTERM does to the real process: start nothing new. */
  softStop(sig?: NodeJS.Signals): void;
}

/**
 * In-process CLI streams, as test/support/cli-io.ts, whose soft stop a test
 * can fire: the in-process stand-in for sending the process a SIGTERM (a
 * daemon in the test's own process). Nothing is a terminal unless `tty`.
 */
export function stoppableIo(env: NodeJS.ProcessEnv = {}, opts: { tty?: boolean } = {}): StoppableIo {
  const stdout = Object.assign(new PassThrough(), { isTTY: opts.tty });
  const stderr = new PassThrough();
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.tty });
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const soft = new AbortController();
  // The hard stop (a second signal) is left to the spawned-process tests, where a real signal sends it.
  const hard = new AbortController();
  const io: StoppableIo = {
    stdout,
    stderr,
    stdin,
    env,
    registry,
    stop: { stopping: soft.signal, signal: hard.signal, graceMs: 0 },
    exitCode: 0,
    out: () => out,
    err: () => err,
    answer: (line) => void stdin.write(`${line}\n`),
    softStop(sig = 'SIGTERM') {
      io.stop.received ??= sig;
      soft.abort(new Error(`stopped by ${sig}`));
    },
  };
  return io;
}
