import type { Route } from '../../../emulator-kit';
import { invalidParameter } from './api-error';
import { NUMBER_OPS, STRING_OPS, compileOrderBy, parseFilter, registryKeys, type Attribute, type Comparison, type FilterKeys } from './filter';
import type { StoredExperiment, StoredRun } from './records';
import { endpoint, list, maxResults, param, required, viewType } from './request';
import { inView, type TrackingStore } from './tracking-store';
import { compact, latestMetrics, paginate, renderExperiment, renderRun } from './wire';

// mlflow/store/tracking: SEARCH_MAX_RESULTS_DEFAULT and SEARCH_MAX_RESULTS_THRESHOLD.
const SEARCH_MAX_RESULTS = { fallback: 1000, limit: 50_000 };

const RUN_ATTRIBUTES: Record<string, Attribute> = {
  run_id: { kind: 'string', ops: ['=', '!=', 'IN'] },
  run_name: { kind: 'string', ops: STRING_OPS },
  status: { kind: 'string', ops: STRING_OPS },
  user_id: { kind: 'string', ops: STRING_OPS },
  artifact_uri: { kind: 'string', ops: STRING_OPS },
  start_time: { kind: 'number', ops: NUMBER_OPS },
  end_time: { kind: 'number', ops: NUMBER_OPS },
};

const ATTRIBUTE_PREFIXES = ['attributes.', 'attribute.', 'attr.', 'run.'];
const ENTITY_PREFIXES: Record<string, { canonical: string; attr: Attribute }> = {
  'metrics.': { canonical: 'metrics.', attr: { kind: 'number', ops: NUMBER_OPS } },
  'metric.': { canonical: 'metrics.', attr: { kind: 'number', ops: NUMBER_OPS } },
  'params.': { canonical: 'params.', attr: { kind: 'string', ops: STRING_OPS } },
  'param.': { canonical: 'params.', attr: { kind: 'string', ops: STRING_OPS } },
  'tags.': { canonical: 'tags.', attr: { kind: 'string', ops: STRING_OPS } },
  'tag.': { canonical: 'tags.', attr: { kind: 'string', ops: STRING_OPS } },
};

/** runs/search identifiers: `attributes.<a>` (or `attr.`, `run.`, bare), `metrics.<k>`, `params.<k>`, `tags.<k>`. */
const RUN_KEYS: FilterKeys = {
  resolve(identifier) {
    for (const [prefix, { canonical, attr }] of Object.entries(ENTITY_PREFIXES)) {
      if (identifier.startsWith(prefix)) return { key: canonical + identifier.slice(prefix.length), attr };
    }
    const name = ATTRIBUTE_PREFIXES.reduce((id, prefix) => (id.startsWith(prefix) ? id.slice(prefix.length) : id), identifier);
    const attr = RUN_ATTRIBUTES[name];
    return attr && { key: name, attr };
  },
  valid: `'attributes.${Object.keys(RUN_ATTRIBUTES).join("', 'attributes.")}', 'metrics.<key>', 'params.<key>' and 'tags.<key>'`,
};

const RUN_ORDER: Record<string, (r: StoredRun) => string | number> = {
  run_id: (r) => r.runId,
  start_time: (r) => r.startTime,
  end_time: (r) => r.endTime ?? 0,
  run_name: (r) => r.runName ?? '',
};
for (const [key, get] of Object.entries(RUN_ORDER)) RUN_ORDER[`attributes.${key}`] = get;

const EXPERIMENT_KEYS = registryKeys({
  name: { kind: 'string', ops: STRING_OPS },
  creation_time: { kind: 'number', ops: NUMBER_OPS },
  last_update_time: { kind: 'number', ops: NUMBER_OPS },
});

// Experiment ids are integers in the SQL store, so they sort as numbers.
const EXPERIMENT_ORDER: Record<string, (e: StoredExperiment) => string | number> = {
  name: (e) => e.name,
  experiment_id: (e) => (/^\d+$/.test(e.experimentId) ? Number(e.experimentId) : e.experimentId),
  creation_time: (e) => e.createdAt,
  last_update_time: (e) => e.updatedAt,
};

/** Tracking endpoints masync reads: runs/get, and the POST-only runs/search and experiments/search. */
export function trackingRoutes(store: TrackingStore): Route[] {
  return [
    ...endpoint('runs/get', {
      GET: (req) => ({ run: renderRun(store.run(param(req, 'run_id') ?? required(req, 'run_uuid'))) }),
    }),
    ...endpoint('runs/search', {
      POST: (req) => {
        const experimentIds = list(req, 'experiment_ids');
        if (experimentIds.length === 0) throw invalidParameter("Missing value for required parameter 'experiment_ids'. See the API docs for more information about request parameters.");
        const view = viewType(req, 'run_view_type');
        const size = maxResults(req, SEARCH_MAX_RESULTS.fallback, SEARCH_MAX_RESULTS.limit);
        const filter = parseFilter<StoredRun>(param(req, 'filter') ?? '', RUN_KEYS, runAttribute);
        const orderBy = list(req, 'order_by');
        const compare = compileOrderBy(orderBy, RUN_ORDER, ['start_time DESC', 'run_id ASC']);
        const found = store.searchRuns({
          experimentIds: new Set(experimentIds),
          view,
          runIds: pinnedRunIds(filter.comparisons),
          match: filter.matches,
          orderKey: orderBy.join(','),
          compare,
        });
        const { page, nextPageToken } = paginate(found, size, param(req, 'page_token'));
        return compact({ runs: page.map(renderRun), next_page_token: nextPageToken });
      },
    }),
    ...endpoint('experiments/search', {
      POST: (req) => {
        const view = viewType(req, 'view_type');
        const size = maxResults(req, SEARCH_MAX_RESULTS.fallback, SEARCH_MAX_RESULTS.limit);
        const filter = parseFilter<StoredExperiment>(param(req, 'filter') ?? '', EXPERIMENT_KEYS, experimentAttribute);
        const orderBy = list(req, 'order_by');
        const clauses = orderBy.length ? orderBy : ['creation_time DESC', 'experiment_id ASC'];
        const compare = compileOrderBy(clauses, EXPERIMENT_ORDER, clauses.some((c) => /^\s*experiment_id\b/.test(c)) ? [] : ['experiment_id DESC']);
        const found = store.experimentViews.get(orderBy.join(','), compare).filter((e) => inView(e.lifecycleStage, view) && filter.matches(e));
        const { page, nextPageToken } = paginate(found, size, param(req, 'page_token'));
        return compact({ experiments: page.map(renderExperiment), next_page_token: nextPageToken });
      },
    }),
  ];
}

/** The ids an `run_id IN (…)` or `run_id = …` comparison pins the search to, so the store looks them up instead of scanning. */
function pinnedRunIds(comparisons: readonly Comparison[]): ReadonlySet<string> | undefined {
  for (const c of comparisons) {
    if (c.key !== 'run_id') continue;
    if (c.op === 'IN' && c.value instanceof Set) return c.value;
    if (c.op === '=' && typeof c.value === 'string') return new Set([c.value]);
  }
  return undefined;
}

function runAttribute(r: StoredRun, key: string): string | number | undefined {
  // A metric compares by its latest value, as MLflow searches latest_metrics.
  if (key.startsWith('metrics.')) return latestMetrics(r.metrics).find((m) => m.key === key.slice(8))?.value;
  if (key.startsWith('params.')) return r.params.get(key.slice(7));
  if (key.startsWith('tags.')) return r.tags.get(key.slice(5));
  switch (key) {
    case 'run_id':
      return r.runId;
    case 'run_name':
      return r.runName;
    case 'status':
      return r.status;
    case 'user_id':
      return r.userId;
    case 'artifact_uri':
      return `mlflow-artifacts:/${r.experimentId}/${r.runId}/artifacts`;
    case 'start_time':
      return r.startTime;
    case 'end_time':
      return r.endTime;
    default:
      return undefined;
  }
}

function experimentAttribute(e: StoredExperiment, key: string): string | number | undefined {
  if (key.startsWith('tags.')) return e.tags.get(key.slice(5));
  if (key === 'creation_time') return e.createdAt;
  if (key === 'last_update_time') return e.updatedAt;
  return e.name;
}
