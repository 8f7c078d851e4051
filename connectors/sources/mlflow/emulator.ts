import { EmulatorServer, HostedEmulator, type EmuRequest, type EmuResponse } from '../../emulator-kit';
import type { NewExperiment, NewModel, NewRun, NewVersion, RunUpdate } from './emulator/records';
import { registryRoutes } from './emulator/registry-routes';
import { RegistryStore } from './emulator/registry-store';
import { trackingRoutes } from './emulator/tracking-routes';
import { TrackingStore } from './emulator/tracking-store';
import { errorBody } from './emulator/wire';

export type { NewDataset, NewExperiment, NewModel, NewRun, NewVersion, RunStatus, RunUpdate } from './emulator/records';

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
 * A local MLflow 2.9 tracking server: the Model Registry, runs and experiments
 * over HTTP on 127.0.0.1, seeded and mutated in-process through the methods below.
 */
export class MlflowEmulator extends HostedEmulator {
  /** The shared emulator plumbing: `requests`, `faults`, `setRateLimit`, `onRequest`. */
  override readonly server: EmulatorServer;
  private readonly store: RegistryStore;
  private readonly tracking: TrackingStore;

  constructor(opts: MlflowEmulatorOptions = {}) {
    super();
    const clock = opts.clock ?? Date.now;
    this.store = new RegistryStore(clock);
    this.tracking = new TrackingStore(clock);
    const auth = opts.auth;
    this.server = new EmulatorServer({
      name: 'mlflow',
      routes: [{ method: 'GET', path: '/health', handler: () => ({ status: 200, raw: 'OK' }) }, ...registryRoutes(this.store), ...trackingRoutes(this.tracking)],
      authenticate: auth ? (req) => authenticate(req, auth) : undefined,
      errorBody,
    });
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

  /** Creates an experiment; returns its id. Runs create the experiments they name on their own. */
  addExperiment(experiment: NewExperiment): string {
    return this.tracking.addExperiment(experiment).experimentId;
  }

  /** Deletes an experiment as MLflow does: it and its runs stay readable, marked `deleted`. */
  deleteExperiment(experimentId: string): void {
    this.tracking.deleteExperiment(experimentId);
  }

  /** Logs a run (FINISHED unless a status is given); returns its id (32 hex digits, counted up, unless given). */
  addRun(run: NewRun): string {
    return this.tracking.addRun(run).runId;
  }

  /** Finishes a run, or logs more metrics, params and tags to it. */
  updateRun(runId: string, update: RunUpdate): void {
    this.tracking.updateRun(runId, update);
  }

  /** Removes a run for good, as `mlflow gc` does: runs/get then answers 404 and no search finds it. */
  deleteRun(runId: string): void {
    this.tracking.deleteRun(runId);
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
