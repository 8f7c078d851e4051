import { MlflowApiError, invalidParameter, notFound } from './api-error';
import type { NewModel, NewVersion, StoredModel, StoredVersion } from './records';
import { SortedViews } from './sorted-views';

const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;

/**
 * The emulator's Model Registry, with the rules MLflow enforces on writes.
 * Searches page through ordered views that every write invalidates.
 */
export class RegistryStore {
  private readonly models = new Map<string, StoredModel>();
  readonly modelViews = new SortedViews<StoredModel>(() => this.models.values());
  readonly versionViews = new SortedViews<StoredVersion>(() => this.versionsOfAllModels());

  constructor(private readonly now: () => number) {}

  addModel(m: NewModel): StoredModel {
    if (!m.name) throw invalidParameter('Registered model name cannot be empty.');
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
    this.changed();
    return model;
  }

  model(name: string): StoredModel {
    const m = this.models.get(name);
    if (!m) throw notFound(`Registered Model with name=${name}`);
    return m;
  }

  private *versionsOfAllModels(): Iterable<StoredVersion> {
    for (const m of this.models.values()) yield* m.versions.values();
  }

  private changed(): void {
    this.modelViews.invalidate();
    this.versionViews.invalidate();
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
    this.changed();
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
      throw invalidParameter(`'${alias}' alias name (case insensitive) is reserved.`);
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
    this.changed();
    return v;
  }

  deleteVersion(name: string, version: string): void {
    this.version(name, version);
    const model = this.model(name);
    model.versions.delete(version);
    for (const [alias, target] of model.aliases) if (target === version) model.aliases.delete(alias);
    model.updatedAt = this.now();
    this.changed();
  }

  deleteModel(name: string): void {
    this.model(name);
    this.models.delete(name);
    this.changed();
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
}

function canonicalStage(stage: string): string {
  const found = STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) throw invalidParameter(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`);
  return found;
}
