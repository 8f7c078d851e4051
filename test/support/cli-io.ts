import { PassThrough } from 'node:stream';
import { registry } from '../../connectors';
import type { CliIO } from '../../src/cli/io';

/** In-process CLI streams for `run(argv, io)`: nothing is a terminal, nothing stops it; `out()`/`err()` read what was written. */
export function memoryIo(env: NodeJS.ProcessEnv = {}): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const never = new AbortController().signal;
  return { stdout, stderr, stdin: new PassThrough(), env, registry, stop: { stopping: never, signal: never, graceMs: 0 }, exitCode: 0, out: () => out, err: () => err };
}
