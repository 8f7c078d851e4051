import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { MlflowEmulator, tickingClock } from '../../connectors/sources/mlflow/emulator';
import { seedSandbox } from '../../connectors/sources/mlflow/fixtures/sandbox';
import { ServiceNowEmulator, type Row } from '../../connectors/sinks/servicenow/emulator';
import { SANDBOX_CREDENTIALS, seedSandboxInstance, type SandboxSeed } from '../../connectors/sinks/servicenow/fixtures/sandbox';
import { run } from '../../src/cli/main';
import { stoppableIo, type StoppableIo } from './stoppable-io';

const BIN = path.resolve(__dirname, '../../bin/masync.js');
const MLFLOW_TOKEN = 'trust-mlflow-token-41d0';

export const SOURCE = 'mlflow-trust';
export const SINK = 'cmdb-trust';
/** What the demo registry (seedSandbox) holds: 5 models and 15 versions, 15 "Contains" relations. */
export const DEMO = { cis: 20, relations: 15 } as const;

/** Config sections a test changes; each is merged over the defaults below. */
export interface WorldConfig {
  run?: Record<string, unknown>;
  guard?: Record<string, unknown>;
  daemon?: Record<string, unknown>;
  schedule?: string;
  /** More keys of the MLflow source (http, pageSize…). */
  source?: Record<string, unknown>;
  /** More keys of the ServiceNow sink (http, writeApi, batchSize…). */
  sink?: Record<string, unknown>;
}

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SpawnedCli {
  child: ChildProcess;
  /** What it has written to stderr so far. */
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * The demo registry in an MLflow emulator, the demo CMDB in a ServiceNow
 * emulator, and a masync.yaml in a temp folder pointing at both: built from
 * the emulators directly (not the sandbox), so a test chooses every setting.
 */
export interface World {
  mlflow: MlflowEmulator;
  servicenow: ServiceNowEmulator;
  cmdb: SandboxSeed;
  dir: string;
  configFile: string;
  statePath: string;
  /** The environment the config's `${…}` references need. */
  env: Record<string, string>;
  /** Write the config again with these sections changed. */
  configure(config: WorldConfig): void;
  /** Run a command in this process (stdout, stderr and exit code); `-c` is added unless `noConfig`. */
  cli(args: string[], opts?: { env?: Record<string, string>; io?: StoppableIo; noConfig?: boolean }): Promise<CliOutcome>;
  /** Run the built CLI as its own process (npm test builds first). */
  spawn(args: string[], opts?: { env?: Record<string, string>; cwd?: string }): SpawnedCli;
  /** CIs masync owns, in every class. */
  managed(): Row[];
  /** cmdb_rel_ci rows between two of masync's CIs. */
  relations(): Row[];
  stop(): Promise<void>;
}

export async function startWorld(config: WorldConfig = {}, opts: { servicenowNow?: () => number } = {}): Promise<World> {
  const mlflow = new MlflowEmulator({ auth: { token: MLFLOW_TOKEN }, clock: tickingClock() });
  const servicenow = new ServiceNowEmulator(opts.servicenowNow ? { now: opts.servicenowNow } : {});
  seedSandbox(mlflow);
  const cmdb = seedSandboxInstance(servicenow);
  await Promise.all([mlflow.start(), servicenow.start()]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-world-'));
  const configFile = path.join(dir, 'masync.yaml');
  const env = { MASYNC_TRUST_MLFLOW_TOKEN: MLFLOW_TOKEN, MASYNC_TRUST_SN_PASSWORD: SANDBOX_CREDENTIALS.password };
  const configure = (c: WorldConfig) => writeFileSync(configFile, configText(mlflow.url, servicenow.url, c));
  configure(config);

  return {
    mlflow,
    servicenow,
    cmdb,
    dir,
    configFile,
    statePath: path.join(dir, 'masync.db'),
    env,
    configure,
    async cli(args, o = {}) {
      const io = o.io ?? stoppableIo({ ...env, ...o.env });
      if (o.env && o.io) Object.assign(io.env, o.env);
      const code = await run(['node', 'masync', ...args, ...(o.noConfig ? [] : ['-c', configFile])], io);
      return { code, stdout: io.out(), stderr: io.err() };
    },
    spawn(args, o = {}) {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: o.cwd ?? dir, env: { PATH: process.env.PATH ?? '', ...(o.env ?? env) }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = new Promise<Awaited<SpawnedCli['done']>>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
      return { child, done, stderr: () => stderr };
    },
    managed: () => servicenow.query('cmdb_ci', 'discovery_source=masync'),
    relations: () => servicenow.query('cmdb_rel_ci', 'parent.discovery_source=masync^child.discovery_source=masync'),
    stop: async () => {
      await Promise.all([mlflow.stop(), servicenow.stop()]);
    },
  };
}

function configText(mlflowUrl: string, snUrl: string, c: WorldConfig): string {
  const doc = {
    state: { path: 'masync.db' },
    ...(c.schedule ? { schedule: c.schedule } : {}),
    daemon: { port: 0, ...c.daemon },
    guard: { maxRetireFraction: 0.2, minFractionOfLastRun: 0.5, ...c.guard },
    run: { settleSec: 0.2, stopGraceSec: 30, ...c.run },
    sources: [{ name: SOURCE, type: 'mlflow', url: mlflowUrl, namespace: 'mlflow.trust', auth: { token: '${MASYNC_TRUST_MLFLOW_TOKEN}' }, ...c.source }],
    sinks: [
      {
        name: SINK,
        type: 'servicenow',
        instance: snUrl,
        auth: { username: SANDBOX_CREDENTIALS.username, password: '${MASYNC_TRUST_SN_PASSWORD}' },
        discoverySource: 'masync',
        mapping: 'servicenow',
        ...c.sink,
      },
    ],
  };
  return `# masync trust tests: emulators on 127.0.0.1\n${stringify(doc)}`;
}

/** Every JSON log line a command wrote to stderr (lines that are not JSON are returned as `{ unparsed }`). */
export function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return { unparsed: l };
      }
    });
}

/** Poll until `fn` gives a value, for conditions another process or a late commit brings about. */
export async function eventually<T>(fn: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
