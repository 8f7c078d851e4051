/** What the emulator's store holds, and the inputs tests seed it with. */

export interface StoredModel {
  name: string;
  description?: string;
  tags: Map<string, string>;
  createdAt: number;
  updatedAt: number;
  /** alias → version */
  aliases: Map<string, string>;
  versions: Map<string, StoredVersion>;
  lastVersion: number;
}

export interface StoredVersion {
  name: string;
  version: string;
  createdAt: number;
  updatedAt: number;
  userId?: string;
  stage: string;
  description?: string;
  source: string;
  /** "" when the version was registered without a run, as MLflow stores it. */
  runId: string;
  status: string;
  tags: Map<string, string>;
}

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface StoredDataset {
  name: string;
  digest: string;
  sourceType?: string;
  /** JSON-encoded, as MLflow stores it (or any string a test wants to send). */
  source?: string;
  context?: string;
}

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type LifecycleStage = 'active' | 'deleted';

export interface StoredExperiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  createdAt: number;
  updatedAt: number;
  tags: Map<string, string>;
}

export interface StoredRun {
  runId: string;
  experimentId: string;
  userId: string;
  runName?: string;
  status: RunStatus;
  /** Deleting the experiment (or the run, softly) marks it deleted; runs/get still answers it. */
  lifecycleStage: LifecycleStage;
  startTime: number;
  /** Unset while the run is RUNNING or SCHEDULED. */
  endTime?: number;
  metrics: MetricPoint[];
  params: Map<string, string>;
  tags: Map<string, string>;
  datasets: StoredDataset[];
}

export interface NewModel {
  name: string;
  description?: string;
  tags?: Record<string, string>;
}

export interface NewVersion {
  name: string;
  source: string;
  runId?: string;
  userId?: string;
  stage?: string;
  status?: string;
  tags?: Record<string, string>;
  description?: string;
}

export interface NewDataset {
  name: string;
  digest?: string;
  sourceType?: string;
  /** An object is JSON-encoded as MLflow does; a string is sent as given. */
  source?: string | Record<string, unknown>;
  /** Becomes the `mlflow.data.context` input tag: train, eval… */
  context?: string;
}

export interface NewExperiment {
  /** Counted up from 1 unless given ("0" is MLflow's Default experiment). */
  experimentId?: string;
  name: string;
  tags?: Record<string, string>;
}

export interface NewRun {
  runId?: string;
  /** Created (named `experiment-<id>`, or `Default` for "0") when it does not exist yet. */
  experimentId: string;
  /** FINISHED unless given. */
  status?: RunStatus;
  /** May be "" (MLflow leaves it empty when only the `mlflow.user` tag is set). */
  userId: string;
  runName?: string;
  /** A number, or a history logged at steps 0, 1, 2…; runs/get answers the last. */
  metrics?: Record<string, number | number[]>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  datasets?: NewDataset[];
}

/** What a test changes on a run after logging it: finishing it, logging more. */
export interface RunUpdate {
  status?: RunStatus;
  /** Each value is logged at the next step, after the points already there. */
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}
