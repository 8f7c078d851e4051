import { createHash } from 'node:crypto';
import type { NewDataset, NewModel, NewRun, NewVersion, StoredDataset, StoredModel, StoredRun, StoredVersion } from './records';

/** An MLflow error as the server raises it; routes turn it into `{error_code, message}`. */
export class MlflowApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;

const notFound = (what: string) => new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `${what} not found`);

/** The emulator's registry and tracking data, with the rules MLflow enforces on writes. */
export class MlflowStore {
  private readonly models = new Map<string, StoredModel>();
  private readonly runs = new Map<string, StoredRun>();
  private runCounter = 0;

  constructor(private readonly now: () => number) {}

  addModel(m: NewModel): StoredModel {
    if (!m.name) throw new MlflowApiError('INVALID_PARAMETER_VALUE', 'Registered model name cannot be empty.');
    if (this.models.has(m.name)) throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${m.name}) already exists.`);
    const t = this.now();
    const model: StoredModel = {
      name: m.name,
      description: m.description,
      tags: new Map(Object.entries(m.tags ?? {})),
      createdAt: t,
      updatedAt: t,
      aliases: new Map(),
      versions: new Map(),
      lastVersion: 0,
    };
    this.models.set(m.name, model);
    return model;
  }

  model(name: string): StoredModel {
    const m = this.models.get(name);
    if (!m) throw notFound(`Registered Model with name=${name}`);
    return m;
  }

  allModels(): StoredModel[] {
    return [...this.models.values()];
  }

  allVersions(): StoredVersion[] {
    return [...this.models.values()].flatMap((m) => [...m.versions.values()]);
  }

  addVersion(v: NewVersion): StoredVersion {
    const model = this.model(v.name);
    const t = this.now();
    model.lastVersion += 1;
    const version: StoredVersion = {
      name: v.name,
      version: String(model.lastVersion),
      createdAt: t,
      updatedAt: t,
      userId: v.userId,
      stage: canonicalStage(v.stage ?? 'None'),
      description: v.description,
      source: v.source,
      runId: v.runId ?? '',
      status: v.status ?? 'READY',
      tags: new Map(Object.entries(v.tags ?? {})),
    };
    model.versions.set(version.version, version);
    model.updatedAt = t;
    return version;
  }

  version(name: string, version: string): StoredVersion {
    const v = this.models.get(name)?.versions.get(version);
    if (!v) throw notFound(`Model Version (name=${name}, version=${version})`);
    return v;
  }

  /** Alias names pointing at a version, as model-versions/get reports them. */
  aliasesOf(v: StoredVersion): string[] {
    return [...this.model(v.name).aliases].filter(([, target]) => target === v.version).map(([alias]) => alias);
  }

  setAlias(name: string, alias: string, version: string): void {
    // MLflow reserves these: they already mean "the latest" and "version N" in model URIs.
    if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias)) {
      throw new MlflowApiError('INVALID_PARAMETER_VALUE', `'${alias}' alias name (case insensitive) is reserved.`);
    }
    this.version(name, version);
    this.model(name).aliases.set(alias, version);
  }

  deleteAlias(name: string, alias: string): void {
    this.model(name).aliases.delete(alias);
  }

  versionByAlias(name: string, alias: string): StoredVersion {
    const version = this.model(name).aliases.get(alias);
    if (version === undefined) throw notFound(`Registered model alias ${alias}`);
    return this.version(name, version);
  }

  transitionStage(name: string, version: string, stage: string, archiveExisting = false): StoredVersion {
    const v = this.version(name, version);
    const target = canonicalStage(stage);
    const t = this.now();
    if (archiveExisting && (target === 'Staging' || target === 'Production')) {
      for (const other of this.model(name).versions.values()) {
        if (other !== v && other.stage === target) Object.assign(other, { stage: 'Archived', updatedAt: t });
      }
    }
    Object.assign(v, { stage: target, updatedAt: t });
    this.model(name).updatedAt = t;
    return v;
  }

  deleteVersion(name: string, version: string): void {
    this.version(name, version);
    const model = this.model(name);
    model.versions.delete(version);
    for (const [alias, target] of model.aliases) if (target === version) model.aliases.delete(alias);
    model.updatedAt = this.now();
  }

  deleteModel(name: string): void {
    this.model(name);
    this.models.delete(name);
  }

  /** Latest READY version per stage, only of the stages asked for (all when none). */
  latestVersions(name: string, stages: readonly string[] = []): StoredVersion[] {
    const wanted = stages.length ? stages.map(canonicalStage) : [...STAGES];
    const latest = new Map<string, StoredVersion>();
    for (const v of this.model(name).versions.values()) {
      if (v.status !== 'READY' || !wanted.includes(v.stage)) continue;
      const prev = latest.get(v.stage);
      if (!prev || Number(v.version) > Number(prev.version)) latest.set(v.stage, v);
    }
    return STAGES.flatMap((s) => latest.get(s) ?? []);
  }

  addRun(r: NewRun): StoredRun {
    this.runCounter += 1;
    const runId = r.runId ?? this.runCounter.toString(16).padStart(32, '0');
    if (this.runs.has(runId)) throw new MlflowApiError('RESOURCE_ALREADY_EXISTS', `Run with id=${runId} already exists`);
    const t = this.now();
    const metrics = Object.entries(r.metrics ?? {}).flatMap(([key, v]) =>
      (Array.isArray(v) ? v : [v]).map((value, step) => ({ key, value, timestamp: t + step, step })),
    );
    const tags = new Map(Object.entries(r.tags ?? {}));
    if (r.runName !== undefined) tags.set('mlflow.runName', r.runName);
    const run: StoredRun = {
      runId,
      experimentId: r.experimentId,
      userId: r.userId,
      runName: r.runName,
      startTime: t,
      endTime: t,
      metrics,
      params: new Map(Object.entries(r.params ?? {})),
      tags,
      datasets: (r.datasets ?? []).map(storedDataset),
    };
    this.runs.set(runId, run);
    return run;
  }

  run(runId: string): StoredRun {
    const r = this.runs.get(runId);
    if (!r) throw notFound(`Run with id=${runId}`);
    return r;
  }

  /** Gone for good, as after `mlflow gc`: runs/get answers 404 (a soft delete would still answer). */
  deleteRun(runId: string): void {
    this.run(runId);
    this.runs.delete(runId);
  }
}

function canonicalStage(stage: string): string {
  const found = STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) throw new MlflowApiError('INVALID_PARAMETER_VALUE', `Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`);
  return found;
}

function storedDataset(d: NewDataset): StoredDataset {
  const source = typeof d.source === 'object' ? JSON.stringify(d.source) : d.source;
  const digest = d.digest ?? createHash('sha256').update(`${d.name}\n${source ?? ''}`).digest('hex').slice(0, 8);
  return { name: d.name, digest, sourceType: d.sourceType, source, context: d.context };
}
