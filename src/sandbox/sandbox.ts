import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadRuntime, type Registry, type Runtime } from '../app/runtime';
import type { RunBase } from '../app/run-env';
import { runSync, type SyncResult } from '../app/sync-run';
import { silentProgress } from '../engine/types';
import { ConfigError } from '../errors';
import { Redactor } from '../http/redact';
import type { Logger } from '../log/logger';
import type { SandboxPart, SandboxPartFactory, SandboxPartOptions } from './part';

/** The parts a sandbox is made of, by a name the caller picks (their order is the config's order). */
export type PartFactories = Record<string, SandboxPartFactory>;
export type PartsOf<F extends PartFactories> = { [K in keyof F]: Awaited<ReturnType<F[K]>> };

/** The local stand-ins masync runs against in `npm start`, the end-to-end tests and the benchmark. */
export interface Sandbox<P extends Record<string, SandboxPart> = Record<string, SandboxPart>> {
  parts: P;
  /** Folder holding the config file and the state file; removed on stop when the sandbox made it. */
  dir: string;
  configFile: string;
  /** Environment the config's ${…} references need. */
  env: Record<string, string>;
  /** The same, as a file a shell can source (mode 0600). */
  envFile: string;
  stop(): Promise<void>;
}

export interface SandboxOptions extends SandboxPartOptions {
  /** Where the config and state go; default: a new temporary folder. */
  dir?: string;
  guard?: { maxRetireFraction?: number; minFractionOfLastRun?: number };
}

/**
 * Start every part, seeded, on 127.0.0.1, and write one config and one env
 * file that point masync at all of them. The sandbox names no connector: the
 * parts say what they are (source, enricher, sink) and what their entry is.
 */
export async function startSandbox<F extends PartFactories>(factories: F, opts: SandboxOptions = {}): Promise<Sandbox<PartsOf<F>>> {
  const partOptions: SandboxPartOptions = { scale: opts.scale, latencyMs: opts.latencyMs, now: opts.now ?? new Date() };
  const started = await Promise.allSettled(Object.values(factories).map((f) => f(partOptions)));
  const parts = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const temporary = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'masync-sandbox-'));
  mkdirSync(dir, { recursive: true });
  const stop = async () => {
    await Promise.all(parts.map((p) => p.stop()));
    // A folder the sandbox made for itself goes with it; one the caller named is the caller's.
    if (temporary) rmSync(dir, { recursive: true, force: true });
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  try {
    const env = mergeEnv(parts);
    const configFile = path.join(dir, 'masync.yaml');
    writeFileSync(configFile, sandboxConfig(parts, opts), { mode: 0o600 });
    const envFile = path.join(dir, 'sandbox.env');
    writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
    const named = Object.fromEntries(Object.keys(factories).map((k, i) => [k, parts[i]])) as PartsOf<F>;
    return { parts: named, dir, configFile, env, envFile, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One environment for every part; two parts that disagree on a variable could not share the config. */
function mergeEnv(parts: readonly SandboxPart[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of parts) {
    for (const [k, v] of Object.entries(p.env)) {
      if (env[k] !== undefined && env[k] !== v) throw new ConfigError(`sandbox: parts ${p.config.name} and another set ${k} to different values; they cannot share one env file`);
      env[k] = v;
    }
  }
  return env;
}

function sandboxConfig(parts: readonly SandboxPart[], opts: SandboxOptions): string {
  const of = (role: SandboxPart['role']) => parts.filter((p) => p.role === role).map((p) => p.config);
  const config = {
    state: { path: 'masync.db' },
    schedule: '*/5 * * * *',
    daemon: { port: 0 },
    guard: { maxRetireFraction: 0.2, minFractionOfLastRun: 0.5, ...opts.guard },
    // Emulators commit a write before they answer, so a lost answer is settled after a second, not a real instance's five.
    run: { settleSec: 1 },
    sources: of('source'),
    enrichers: of('enricher'),
    sinks: of('sink'),
  };
  const header = `# masync sandbox: local emulators on 127.0.0.1, nothing real.\n${parts.map((p) => `#   ${p.describe}`).join('\n')}\n`;
  return header + stringify(config, { lineWidth: 0 });
}

/** A runtime over the sandbox's config, with its secrets in the environment, as the CLI would build it. */
export function openSandboxRuntime(box: Pick<Sandbox, 'configFile' | 'env'>, opts: { registry: Registry; env: NodeJS.ProcessEnv; makeLogger(redactor: Redactor): Logger }): Runtime {
  const redactor = new Redactor();
  return loadRuntime(box.configFile, { registry: opts.registry, env: { ...opts.env, ...box.env }, redactor, makeLogger: () => opts.makeLogger(redactor) });
}

/** What a run in the sandbox starts from: the runtime's logger, no progress display, stopped by `signal`. */
export function sandboxBase(rt: Runtime, signal: AbortSignal = new AbortController().signal, full = false): RunBase {
  return { logger: rt.logger, signal, stopping: signal, progressFor: () => silentProgress, full };
}

/** A sync with the config's guards, as `masync sync --yes` runs one. */
export function syncSandbox(rt: Runtime, base: RunBase, opts: { allowMassRetire?: boolean; concurrency?: number } = {}): Promise<SyncResult> {
  return runSync(rt, { allowMassRetire: opts.allowMassRetire ?? false, waitMs: 0, concurrency: opts.concurrency }, base);
}
