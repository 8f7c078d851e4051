/**
 * What one connector brings to the sandbox (`npm start`, the end-to-end
 * tests and the benchmark): its emulator, started on 127.0.0.1 and seeded,
 * and the config entry that points masync at it. Each connector folder has a
 * `sandbox.ts` exporting a SandboxPartFactory; src/sandbox composes them, so
 * the sandbox itself names no connector.
 */
export interface SandboxPart {
  role: 'source' | 'sink' | 'enricher';
  /** The connector's entry in masync.yaml (name, type, url…), secrets as `${ENV}` references. */
  config: Record<string, unknown>;
  /** Values for the `${ENV}` references in `config` (local emulator credentials, nothing real). */
  env: Record<string, string>;
  /** One line for the demo's header: what the emulator holds and where it listens. */
  describe: string;
  /** The running emulator's request log and faults (the kit's EmulatorServer), for tests and the bench. */
  server: { count(method: string, pathPrefix?: string): number };
  stop(): Promise<void>;
}

export interface SandboxPartOptions {
  /** Seed a large, deterministic data set instead of the demo one. */
  scale?: { models: number; versionsPerModel: number };
  /** Delay in front of every response, as a remote API would add (bench `--latency`). */
  latencyMs?: number;
}

export type SandboxPartFactory = (opts: SandboxPartOptions) => Promise<SandboxPart>;
