import { EmulatorServer, type EmuRequest, type EmuResponse } from '../../emulator-kit';
import { mlflowRoutes } from './emulator/routes';
import type { NewModel, NewRun, NewVersion } from './emulator/records';
import { MlflowStore } from './emulator/store';
import { errorBody } from './emulator/wire';

export type { NewDataset, NewModel, NewRun, NewVersion } from './emulator/records';

export type MlflowEmulatorAuth = { token: string } | { username: string; password: string };

export interface MlflowEmulatorOptions {
  /** Credentials the server insists on; none by default, like a plain `mlflow server`. */
  auth?: MlflowEmulatorAuth;
  /** Milliseconds since the epoch for every timestamp the store writes; inject one for stable fixtures. */
  clock?: () => number;
}

/** A clock that advances `stepMs` on every reading, so seeded records get distinct, repeatable timestamps. */
export function tickingClock(startMs = Date.UTC(2026, 0, 5, 9), stepMs = 60_000): () => number {
  let t = startMs - stepMs;
  return () => (t += stepMs);
}

/**
 * A local MLflow 2.9 tracking server: the Model Registry and runs/get over
 * HTTP on 127.0.0.1, seeded and mutated in-process through the methods below.
 */
export class MlflowEmulator {
  /** The shared emulator plumbing: `requests`, `faults`, `setRateLimit`, `onRequest`. */
  readonly server: EmulatorServer;
  private readonly store: MlflowStore;

  constructor(opts: MlflowEmulatorOptions = {}) {
    this.store = new MlflowStore(opts.clock ?? Date.now);
    const auth = opts.auth;
    this.server = new EmulatorServer({
      name: 'mlflow',
      routes: [{ method: 'GET', path: '/health', handler: () => ({ status: 200, raw: 'OK' }) }, ...mlflowRoutes(this.store)],
      authenticate: auth ? (req) => authenticate(req, auth) : undefined,
      errorBody,
    });
  }

  /** Listens on 127.0.0.1 (a free port unless given); resolves to the tracking URI. */
  start(port?: number): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get url(): string {
    return this.server.url;
  }

  addModel(model: NewModel): void {
    this.store.addModel(model);
  }

  /** Registers the next version of a model; returns its number, a string as MLflow has it. */
  addVersion(version: NewVersion): string {
    return this.store.addVersion(version).version;
  }

  setAlias(name: string, alias: string, version: string): void {
    this.store.setAlias(name, alias, version);
  }

  transitionStage(name: string, version: string, stage: string, archiveExisting = false): void {
    this.store.transitionStage(name, version, stage, archiveExisting);
  }

  deleteVersion(name: string, version: string): void {
    this.store.deleteVersion(name, version);
  }

  deleteModel(name: string): void {
    this.store.deleteModel(name);
  }

  /** Logs a finished run; returns its id (32 hex digits, counted up, unless given). */
  addRun(run: NewRun): string {
    return this.store.addRun(run).runId;
  }

  /** Removes a run for good, as `mlflow gc` does: runs/get then answers 404. */
  deleteRun(runId: string): void {
    this.store.deleteRun(runId);
  }
}

function authenticate(req: EmuRequest, auth: MlflowEmulatorAuth): EmuResponse | undefined {
  if (req.path === '/health') return undefined;
  const expected = 'token' in auth ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  if (req.headers.authorization === expected) return undefined;
  return {
    status: 401,
    body: { error_code: 'UNAUTHENTICATED', message: 'You are not authenticated. Please provide valid credentials.' },
    // The basic-auth app challenges like any HTTP Basic server; a token gateway does not.
    headers: 'token' in auth ? undefined : { 'WWW-Authenticate': 'Basic realm="mlflow"' },
  };
}
