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

interface MetricPoint {
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

export interface StoredRun {
  runId: string;
  experimentId: string;
  userId: string;
  runName?: string;
  startTime: number;
  endTime: number;
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

export interface NewRun {
  runId?: string;
  experimentId: string;
  /** May be "" (MLflow leaves it empty when only the `mlflow.user` tag is set). */
  userId: string;
  runName?: string;
  /** A number, or a history logged at steps 0, 1, 2…; runs/get answers the last. */
  metrics?: Record<string, number | number[]>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  datasets?: NewDataset[];
}
