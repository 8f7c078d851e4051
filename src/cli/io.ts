import type { Registry } from '../app/runtime';

/**
 * How a command is asked to stop. The first SIGINT/SIGTERM aborts
 * `stopping` (start nothing new; writes in flight finish); a second one, or
 * `graceMs` after the first, aborts `signal` (cut what is in flight).
 */
export interface StopControl {
  stopping: AbortSignal;
  signal: AbortSignal;
  /** How long writes in flight get after the first signal; a command sets it from the config. */
  graceMs: number;
  /** The signal received, if any: the process then exits 128 + its number (130, 143)… */
  received?: NodeJS.Signals;
  /** …unless the command stopped cleanly because stopping is how it ends (the daemon). */
  expected?: boolean;
  /** Where to tell the operator a signal was heard: the command's log once it has one (JSON off a terminal), else stderr. */
  notify?(message: string): void;
}

/** What commands touch of the outside world; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  registry: Registry;
  stop: StopControl;
  /** Set by a command; main() returns it. */
  exitCode: number;
}

export function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIO, stream: { isTTY?: boolean } = io.stdout): boolean {
  return Boolean(stream.isTTY) && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '');
}
