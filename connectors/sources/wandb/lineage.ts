import { canonicalJson, type Dataset } from '../../../src/inventory';
import { isPlainObject, nonEmpty } from './map';
import type { Run } from './wire';

/** What a version takes from the run that logged it. */
export interface Lineage {
  /** W&B's run path, `entity/project/<run id>`: run ids are unique only within a project. */
  runId: string;
  /** The run id alone, as run URLs carry it. */
  id: string;
  runName?: string;
  user?: string;
  state?: string;
  /** Project of the run, for links into the UI. */
  entity?: string;
  project?: string;
  metrics: Record<string, number>;
  params: Record<string, string>;
  datasets: Dataset[];
}

// Deeper nesting in a config or summary is a logged object, not a parameter or a metric.
const MAX_DEPTH = 4;

/**
 * The lineage of a run. `modelTypes` are the artifact types read as models:
 * the run's other input artifacts are its datasets.
 */
export function lineageOf(run: Run, modelTypes: readonly string[]): Lineage {
  const entity = run.project?.entity.name;
  const project = run.project?.name;
  return {
    runId: entity && project ? `${entity}/${project}/${run.name}` : run.name,
    id: run.name,
    runName: nonEmpty(run.displayName),
    user: nonEmpty(run.user?.username),
    state: nonEmpty(run.state),
    entity,
    project,
    metrics: metricsOf(run.summaryMetrics),
    params: paramsOf(run.config),
    datasets: datasetsOf(run, modelTypes),
  };
}

/**
 * W&B stores each config entry as `{"value": …, "desc": …}`; older clients
 * wrote plain values. Keys starting with "_" (`_wandb`) and `wandb_version`
 * are W&B's own. Nested dicts flatten with dots, as the W&B UI shows them.
 */
function paramsOf(config: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainObject(config)) return out;
  for (const [key, entry] of Object.entries(config)) {
    if (key.startsWith('_') || key === 'wandb_version') continue;
    const value = isPlainObject(entry) && 'value' in entry ? entry.value : entry;
    flattenParam(key, value, out, 0);
  }
  return out;
}

function flattenParam(key: string, value: unknown, out: Record<string, string>, depth: number): void {
  if (isPlainObject(value) && Object.keys(value).length > 0 && depth < MAX_DEPTH) {
    for (const [k, v] of Object.entries(value)) if (!k.startsWith('_')) flattenParam(`${key}.${k}`, v, out, depth + 1);
    return;
  }
  out[key] = typeof value === 'string' ? value : canonicalJson(value ?? null);
}

/**
 * The run summary's numbers. Keys starting with "_" (`_step`, `_runtime`) are
 * W&B's bookkeeping; objects carrying `_type` are media and histograms.
 */
function metricsOf(summary: unknown, prefix = '', out: Record<string, number> = {}, depth = 0): Record<string, number> {
  if (!isPlainObject(summary) || depth > MAX_DEPTH) return out;
  for (const [key, value] of Object.entries(summary)) {
    if (key.startsWith('_')) continue;
    if (typeof value === 'number' && Number.isFinite(value)) out[`${prefix}${key}`] = value;
    else if (isPlainObject(value) && !('_type' in value)) metricsOf(value, `${prefix}${key}.`, out, depth + 1);
  }
  return out;
}

function datasetsOf(run: Run, modelTypes: readonly string[]): Dataset[] {
  const out: Dataset[] = [];
  for (const edge of run.inputArtifacts?.edges ?? []) {
    const a = edge.node;
    if (!a || modelTypes.includes(a.artifactType.name)) continue;
    const seq = a.artifactSequence;
    const version = a.versionIndex === null || a.versionIndex === undefined ? '' : `:v${a.versionIndex}`;
    const dataset: Dataset = { name: seq.name, sourceType: a.artifactType.name, uri: `${seq.project.entity.name}/${seq.project.name}/${seq.name}${version}` };
    if (a.digest) dataset.digest = a.digest;
    out.push(dataset);
  }
  return out.sort((a, b) => (a.uri ?? '').localeCompare(b.uri ?? ''));
}
