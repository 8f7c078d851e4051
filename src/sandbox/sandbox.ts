import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadRuntime, type Registry, type Runtime } from '../app/runtime';
import { runSync, type SyncResult } from '../app/sync-run';
import type { RunBase } from '../app/run-env';
import { silentProgress } from '../engine/types';
import { Redactor } from '../http/redact';
import type { Logger } from '../log/logger';
import os from 'node:os';
import path from 'node:path';
import { MlflowEmulator, tickingClock } from '../../connectors/sources/mlflow/emulator';
import { seedBulk, seedSandbox, type SeedSummary } from '../../connectors/sources/mlflow/fixtures/sandbox';
import { ServiceNowEmulator } from '../../connectors/sinks/servicenow/emulator';
import { SANDBOX_CREDENTIALS, seedSandboxInstance, type SandboxSeed } from '../../connectors/sinks/servicenow/fixtures/sandbox';

/** The local stand-ins masync runs against in `npm start`, the end-to-end tests and the benchmark. */
export interface Sandbox {
  mlflow: MlflowEmulator;
  servicenow: ServiceNowEmulator;
  seeded: SeedSummary;
  cmdb: SandboxSeed;
  /** Folder holding the config file and the state file. */
  dir: string;
  configFile: string;
  /** Environment the config's ${…} references need. */
  env: Record<string, string>;
  /** The same, as a file a shell can source (mode 0600). */
  envFile: string;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  dir?: string;
  /** Seed a large registry instead of the demo one. */
  bulk?: { models: number; versionsPerModel: number };
  mlflowPort?: number;
  servicenowPort?: number;
  /** Extra YAML appended to the config (e.g. a guard for a test). */
  guard?: { maxRetireFraction?: number; minFractionOfLastRun?: number };
  pageSize?: number;
  /** Writes per ServiceNow Batch API call (a test that kills a sync mid-apply wants several calls). */
  batchSize?: number;
}

/** A runtime over the sandbox's config, with its secrets in the environment, as the CLI would build it. */
export function openSandboxRuntime(box: Sandbox, opts: { registry: Registry; env: NodeJS.ProcessEnv; makeLogger(redactor: Redactor): Logger }): Runtime {
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

/** Credentials of the local emulators; they guard nothing real. */
const MLFLOW_TOKEN = 'sandbox-mlflow-token-6f1c';

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const mlflow = new MlflowEmulator({ auth: { token: MLFLOW_TOKEN }, clock: tickingClock() });
  const servicenow = new ServiceNowEmulator();
  const seeded = opts.bulk ? seedBulk(mlflow, opts.bulk) : seedSandbox(mlflow);
  const cmdb = seedSandboxInstance(servicenow);
  await mlflow.start(opts.mlflowPort);
  await servicenow.start(opts.servicenowPort);
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'masync-sandbox-'));
  const configFile = path.join(dir, 'masync.yaml');
  writeFileSync(configFile, sandboxConfig(mlflow.url, servicenow.url, opts));
  const env = { MASYNC_SANDBOX_MLFLOW_TOKEN: MLFLOW_TOKEN, MASYNC_SANDBOX_SN_PASSWORD: SANDBOX_CREDENTIALS.password };
  const envFile = path.join(dir, 'sandbox.env');
  writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
  return {
    mlflow,
    servicenow,
    seeded,
    cmdb,
    dir,
    configFile,
    env,
    envFile,
    stop: async () => {
      await Promise.all([mlflow.stop(), servicenow.stop()]);
    },
  };
}

function sandboxConfig(mlflowUrl: string, snUrl: string, opts: SandboxOptions): string {
  const guard = { maxRetireFraction: 0.2, minFractionOfLastRun: 0.5, ...opts.guard };
  return `# masync sandbox: local emulators of MLflow and ServiceNow on 127.0.0.1.
state:
  path: masync.db
schedule: "*/5 * * * *"
daemon:
  port: 0
guard:
  maxRetireFraction: ${guard.maxRetireFraction}
  minFractionOfLastRun: ${guard.minFractionOfLastRun}
sources:
  - name: mlflow-sandbox
    type: mlflow
    url: ${mlflowUrl}
    namespace: mlflow.sandbox
    auth:
      token: \${MASYNC_SANDBOX_MLFLOW_TOKEN}${opts.pageSize ? `\n    pageSize: ${opts.pageSize}` : ''}
sinks:
  - name: cmdb-sandbox
    type: servicenow
    instance: ${snUrl}
    auth:
      username: ${SANDBOX_CREDENTIALS.username}
      password: \${MASYNC_SANDBOX_SN_PASSWORD}
    discoverySource: masync
    mapping: servicenow${opts.pageSize ? `\n    pageSize: ${opts.pageSize}` : ''}${opts.batchSize ? `\n    batchSize: ${opts.batchSize}` : ''}
`;
}
