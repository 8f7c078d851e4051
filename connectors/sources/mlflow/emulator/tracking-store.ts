import { createHash } from 'node:crypto';
import { MlflowApiError, invalidParameter, notFound } from './api-error';
import type { LifecycleStage, NewDataset, NewExperiment, NewRun, RunUpdate, StoredDataset, StoredExperiment, StoredRun } from './records';
import { SortedViews } from './sorted-views';

/** MLflow's ViewType: which lifecycle stages a search returns. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export function inView(stage: LifecycleStage, view: ViewType): boolean {
  return view === 'ALL' || (view === 'ACTIVE_ONLY') === (stage === 'active');
}

/** What a runs/search asks for, already parsed and validated by the route. */
export interface RunQuery {
  experimentIds: ReadonlySet<string>;
  view: ViewType;
  /** Run ids the filter pins the result to (`run_id IN (…)` or `run_id = …`), looked up by id. */
  runIds?: ReadonlySet<string>;
  match: (run: StoredRun) => boolean;
  /** Names the order (the order_by clauses) for the cached views. */
  orderKey: string;
  compare: (a: StoredRun, b: StoredRun) => number;
}

/**
 * The emulator's tracking data: experiments and runs, indexed by id. A search
 * pinned to run ids looks them up; any other search filters a cached, ordered
 * view, so no request sorts every run.
 */
export class TrackingStore {
  private readonly experiments = new Map<string, StoredExperiment>();
  private readonly experimentNames = new Set<string>();
  private readonly runs = new Map<string, StoredRun>();
  private experimentCounter = 0;
  private runCounter = 0;
  readonly experimentViews = new SortedViews<StoredExperiment>(() => this.experiments.values());
  private readonly runViews = new SortedViews<StoredRun>(() => this.runs.values());

  constructor(private readonly now: () => number) {}

  addExperiment(e: NewExperiment): StoredExperiment {
    const experimentId = e.experimentId ?? String(++this.experimentCounter);
    if (this.experiments.has(experimentId)) throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Experiment with id=${experimentId} already exists.`);
    if (this.experimentNames.has(e.name)) throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${e.name}) already exists.`);
    const t = this.now();
    const experiment: StoredExperiment = {
      experimentId,
      name: e.name,
      artifactLocation: `mlflow-artifacts:/${experimentId}`,
      lifecycleStage: 'active',
      createdAt: t,
      updatedAt: t,
      tags: new Map(Object.entries(e.tags ?? {})),
    };
    this.experiments.set(experimentId, experiment);
    this.experimentNames.add(e.name);
    this.experimentViews.invalidate();
    return experiment;
  }

  experiment(experimentId: string): StoredExperiment {
    const e = this.experiments.get(experimentId);
    if (!e) throw notFound(`Experiment with id=${experimentId}`);
    return e;
  }

  /** Soft delete, as MLflow does: the experiment and its runs move to `deleted` and stay readable. */
  deleteExperiment(experimentId: string): void {
    const e = this.experiment(experimentId);
    if (e.lifecycleStage === 'deleted') throw invalidParameter(`Cannot delete an already deleted experiment: ${experimentId}`);
    e.lifecycleStage = 'deleted';
    e.updatedAt = this.now();
    for (const run of this.runs.values()) if (run.experimentId === experimentId) run.lifecycleStage = 'deleted';
    this.experimentViews.invalidate();
  }

  addRun(r: NewRun): StoredRun {
    this.runCounter += 1;
    const runId = r.runId ?? this.runCounter.toString(16).padStart(32, '0');
    if (this.runs.has(runId)) throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Run with id=${runId} already exists`);
    const experiment = this.experiments.get(r.experimentId) ?? this.addExperiment({ experimentId: r.experimentId, name: r.experimentId === '0' ? 'Default' : `experiment-${r.experimentId}` });
    const t = this.now();
    const status = r.status ?? 'FINISHED';
    const tags = new Map(Object.entries(r.tags ?? {}));
    if (r.runName !== undefined) tags.set('mlflow.runName', r.runName);
    const run: StoredRun = {
      runId,
      experimentId: experiment.experimentId,
      userId: r.userId,
      runName: r.runName,
      status,
      lifecycleStage: experiment.lifecycleStage,
      startTime: t,
      endTime: isActive(status) ? undefined : t,
      metrics: [],
      params: new Map(Object.entries(r.params ?? {})),
      tags,
      datasets: (r.datasets ?? []).map(storedDataset),
    };
    for (const [key, v] of Object.entries(r.metrics ?? {})) for (const value of Array.isArray(v) ? v : [v]) logMetric(run, key, value, t);
    this.runs.set(runId, run);
    this.runViews.invalidate();
    return run;
  }

  run(runId: string): StoredRun {
    const r = this.runs.get(runId);
    if (!r) throw notFound(`Run with id=${runId}`);
    return r;
  }

  updateRun(runId: string, update: RunUpdate): StoredRun {
    const run = this.run(runId);
    const t = this.now();
    for (const [key, value] of Object.entries(update.metrics ?? {})) logMetric(run, key, value, t);
    for (const [key, value] of Object.entries(update.params ?? {})) run.params.set(key, value);
    for (const [key, value] of Object.entries(update.tags ?? {})) run.tags.set(key, value);
    if (update.status) {
      run.status = update.status;
      run.endTime = isActive(update.status) ? undefined : t;
    }
    this.runViews.invalidate();
    return run;
  }

  /** Gone for good, as after `mlflow gc`: runs/get answers 404 and no search finds it. */
  deleteRun(runId: string): void {
    this.run(runId);
    this.runs.delete(runId);
    this.runViews.invalidate();
  }

  searchRuns(q: RunQuery): StoredRun[] {
    const wanted = (run: StoredRun) => q.experimentIds.has(run.experimentId) && inView(run.lifecycleStage, q.view) && q.match(run);
    if (q.runIds) {
      const found = [...q.runIds].flatMap((id) => this.runs.get(id) ?? []).filter(wanted);
      return found.sort(q.compare);
    }
    return this.runViews.get(q.orderKey, q.compare).filter(wanted);
  }
}

function isActive(status: string): boolean {
  return status === 'RUNNING' || status === 'SCHEDULED';
}

// Each point lands one step after the key's last one, a millisecond later, as a training loop logs.
function logMetric(run: StoredRun, key: string, value: number, t: number): void {
  const previous = run.metrics.filter((m) => m.key === key);
  const step = previous.length;
  const last = previous.at(-1)?.timestamp ?? t - 1;
  run.metrics.push({ key, value, step, timestamp: Math.max(t, last + 1) });
}

function storedDataset(d: NewDataset): StoredDataset {
  const source = typeof d.source === 'object' ? JSON.stringify(d.source) : d.source;
  const digest = d.digest ?? createHash('sha256').update(`${d.name}\n${source ?? ''}`).digest('hex').slice(0, 8);
  return { name: d.name, digest, sourceType: d.sourceType, source, context: d.context };
}
