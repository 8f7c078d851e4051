import type { Dataset, ModelItem, ModelVersionItem } from '../../../src/inventory';
import type { ModelVersion, RegisteredModel, Run } from './wire-schemas';
import { modelKey, versionKey } from './keys';

/** What the mapping needs besides the wire records; fixed for one read. */
export interface MapSettings {
  source: string;
  namespace: string;
  uiUrl: string;
  ownerTag: string;
  costCenterTag: string;
  observedAt: string;
}

/** The part of a registered model kept in memory while its versions stream by. */
export interface ModelSummary {
  name: string;
  description?: string;
  tags: Record<string, string>;
  createdAt?: string;
  updatedAt?: string;
  /** alias → version */
  aliases: Record<string, string>;
  /** stage → latest version in it */
  latestVersions: Record<string, string>;
}

/** What a version takes from the run that produced it. */
export interface Lineage {
  runName?: string;
  userId?: string;
  userTag?: string;
  metrics: Record<string, number>;
  params: Record<string, string>;
  datasets: Dataset[];
}

const NO_STAGE = 'None';

export function summarize(m: RegisteredModel): ModelSummary {
  const latestVersions: Record<string, string> = {};
  for (const v of m.latest_versions) {
    const stage = stageOf(v.current_stage);
    if (stage) latestVersions[stage] = v.version;
  }
  return {
    name: m.name,
    description: nonEmpty(m.description),
    tags: pairs(m.tags),
    createdAt: isoOf(m.creation_timestamp),
    updatedAt: isoOf(m.last_updated_timestamp),
    aliases: Object.fromEntries(m.aliases.map((a) => [a.alias, a.version])),
    latestVersions,
  };
}

export function lineageOf(run: Run): Lineage {
  const tags = pairs(run.data.tags);
  return {
    runName: nonEmpty(run.info.run_name) ?? nonEmpty(tags['mlflow.runName']),
    userId: nonEmpty(run.info.user_id),
    userTag: nonEmpty(tags['mlflow.user']),
    metrics: latestMetrics(run.data.metrics),
    params: pairs(run.data.params),
    datasets: run.inputs.dataset_inputs.map((input) => {
      const d = input.dataset;
      return drop({
        name: d.name,
        digest: nonEmpty(d.digest),
        sourceType: nonEmpty(d.source_type),
        uri: datasetUri(d.source),
        context: nonEmpty(pairs(input.tags)['mlflow.data.context']),
      });
    }),
  };
}

/**
 * `lineage` is undefined when the version has no run or its run is gone.
 * Built field by field rather than through `drop`: it runs once per version
 * of the registry, and an absent optional field is simply never set.
 */
// A model's versions hold its name and key as the model's own strings, not a copy each (at 100,000 versions, 10 MB).
const modelKeys = new WeakMap<ModelSummary, string>();

function modelKeyOf(s: MapSettings, model: ModelSummary): string {
  let key = modelKeys.get(model);
  if (key === undefined) modelKeys.set(model, (key = modelKey(s.namespace, model.name)));
  return key;
}

export function versionItem(s: MapSettings, v: ModelVersion, model: ModelSummary, lineage: Lineage | undefined): ModelVersionItem {
  const tags = pairs(v.tags);
  const ofModel = model.name === v.name;
  const name = ofModel ? model.name : v.name;
  const versionOf = ofModel ? modelKeyOf(s, model) : modelKey(s.namespace, v.name);
  const item: ModelVersionItem = {
    kind: 'model_version',
    key: versionKey(s.namespace, name, v.version),
    source: s.source,
    name,
    observedAt: s.observedAt,
    tags,
    links: { ui: `${s.uiUrl}/#/models/${encodeURIComponent(v.name)}/versions/${v.version}` },
    versionOf,
    version: v.version,
    aliases: aliasesOf(model, v.version),
    status: v.status ?? '',
    metrics: lineage?.metrics ?? {},
    params: lineage?.params ?? {},
    datasets: lineage?.datasets ?? [],
  };
  put(item, 'description', nonEmpty(v.description));
  put(item, 'owner', firstOf(tags[s.ownerTag], model.tags[s.ownerTag], v.user_id, lineage?.userId, lineage?.userTag));
  put(item, 'costCenter', firstOf(tags[s.costCenterTag], model.tags[s.costCenterTag]));
  put(item, 'createdAt', isoOf(v.creation_timestamp));
  put(item, 'updatedAt', isoOf(v.last_updated_timestamp));
  put(item, 'stage', stageOf(v.current_stage));
  put(item, 'artifactUri', nonEmpty(v.source));
  put(item, 'runId', nonEmpty(v.run_id));
  put(item, 'runName', lineage?.runName);
  return item;
}

// Search results carry no aliases; the registered model's list is the source of truth.
function aliasesOf(model: ModelSummary, version: string): string[] {
  const out: string[] = [];
  for (const alias in model.aliases) if (model.aliases[alias] === version) out.push(alias);
  return out.sort();
}

/** `earliestOwner` is the owner of the model's lowest-numbered version, the fallback when the model has no owner tag. */
export function modelItem(s: MapSettings, m: ModelSummary, earliestOwner: string | undefined): ModelItem {
  return drop({
    kind: 'model',
    key: modelKeyOf(s, m),
    source: s.source,
    name: m.name,
    observedAt: s.observedAt,
    tags: m.tags,
    links: { ui: `${s.uiUrl}/#/models/${encodeURIComponent(m.name)}` },
    description: m.description,
    owner: firstOf(m.tags[s.ownerTag], earliestOwner),
    costCenter: firstOf(m.tags[s.costCenterTag]),
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    aliases: m.aliases,
    latestVersions: m.latestVersions,
  });
}

/**
 * A dataset's `source` is a JSON-encoded object whose location key depends on
 * the source type; a value that is not JSON is already the location.
 */
function datasetUri(source: string | undefined): string | undefined {
  if (!source) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    return source;
  }
  if (typeof parsed === 'string') return nonEmpty(parsed);
  if (!parsed || typeof parsed !== 'object') return undefined;
  const o = parsed as Record<string, unknown>;
  for (const k of ['uri', 'url', 'path']) if (typeof o[k] === 'string' && o[k] !== '') return o[k];
  return undefined;
}

// runs/get already answers the latest value per key; reducing again keeps that true for any server.
function latestMetrics(metrics: Run['data']['metrics']): Record<string, number> {
  const best = new Map<string, { value: number; timestamp: number }>();
  for (const m of metrics) {
    if (typeof m.value !== 'number') continue; // NaN and ±Infinity cannot be stored as numbers downstream
    const timestamp = m.timestamp ?? 0;
    const prev = best.get(m.key);
    if (!prev || timestamp > prev.timestamp || (timestamp === prev.timestamp && m.value > prev.value)) best.set(m.key, { value: m.value, timestamp });
  }
  return Object.fromEntries([...best].map(([k, v]) => [k, v.value]));
}

function stageOf(stage: string | undefined): string | undefined {
  return stage && stage !== NO_STAGE ? stage : undefined;
}

function pairs(list: ReadonlyArray<{ key: string; value: string }>): Record<string, string> {
  return Object.fromEntries(list.map((t) => [t.key, t.value]));
}

function isoOf(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

function firstOf(...values: Array<string | undefined>): string | undefined {
  return values.find((v) => v !== undefined && v !== '');
}

function put<T extends object, K extends keyof T>(o: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) o[key] = value;
}

/** Leaves out absent optional fields so items compare and hash the same however they were built. */
function drop<T extends object>(o: T): T {
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(src)) if (src[key] !== undefined) out[key] = src[key];
  return out as T;
}
