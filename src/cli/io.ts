import type { Registry } from '../app/runtime';

/** What commands touch of the outside world; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  registry: Registry;
  /** Aborted by SIGINT/SIGTERM in the real CLI. */
  signal: AbortSignal;
  /** Set by a command; main() returns it. */
  exitCode: number;
}

export function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
