import type { EmuRequest, Route } from '../../../emulator-kit';
import { compileOrderBy, parseFilter, registryKeys, type Attribute } from './filter';
import { endpoint, list, maxResults, param, required, tagsParam, versionParam } from './request';
import type { StoredModel, StoredVersion } from './records';
import type { RegistryStore } from './registry-store';
import { compact, paginate, renderModel, renderVersion } from './wire';

const MODELS_MAX_RESULTS = { fallback: 100, limit: 1000 };
const VERSIONS_MAX_RESULTS = { fallback: 200_000, limit: 200_000 };

const MODEL_KEYS = registryKeys({
  name: { kind: 'string', ops: ['=', '!=', 'LIKE', 'ILIKE'] },
});

// `current_stage` is deliberately absent: MLflow 2.9 rejects it ("Invalid attribute key").
const VERSION_KEYS = registryKeys({
  name: { kind: 'string', ops: ['=', '!=', 'LIKE', 'ILIKE'] },
  run_id: { kind: 'string', ops: ['=', '!=', 'IN'] },
  source_path: { kind: 'string', ops: ['=', '!=', 'LIKE', 'ILIKE'] },
  version_number: { kind: 'number', ops: ['=', '!=', '<', '<=', '>', '>='] },
} satisfies Record<string, Attribute>);

const MODEL_ORDER = {
  name: (m: StoredModel) => m.name,
  last_updated_timestamp: (m: StoredModel) => m.updatedAt,
  timestamp: (m: StoredModel) => m.updatedAt,
};

const VERSION_ORDER = {
  name: (v: StoredVersion) => v.name,
  version_number: (v: StoredVersion) => Number(v.version),
  creation_timestamp: (v: StoredVersion) => v.createdAt,
  last_updated_timestamp: (v: StoredVersion) => v.updatedAt,
};

/** The Model Registry endpoints masync reads, and the writes its tests drive. */
export function registryRoutes(store: RegistryStore): Route[] {
  const latestVersions = (req: EmuRequest) =>
    compact({ model_versions: store.latestVersions(required(req, 'name'), list(req, 'stages')).map((v) => renderVersion(v)) });

  return [
    ...endpoint('registered-models/search', {
      GET: (req) => {
        const filter = parseFilter<StoredModel>(param(req, 'filter') ?? '', MODEL_KEYS, (m, key) => (key.startsWith('tags.') ? m.tags.get(key.slice(5)) : m.name));
        const orderBy = list(req, 'order_by');
        const order = compileOrderBy(orderBy, MODEL_ORDER, ['name ASC']);
        const size = maxResults(req, MODELS_MAX_RESULTS.fallback, MODELS_MAX_RESULTS.limit);
        const ordered = store.modelViews.get(orderBy.join(','), order);
        const found = filter.comparisons.length ? ordered.filter(filter.matches) : ordered;
        const { page, nextPageToken } = paginate(found, size, param(req, 'page_token'));
        return compact({ registered_models: page.map((m) => renderModel(m, store)), next_page_token: nextPageToken });
      },
    }),
    ...endpoint('registered-models/get', {
      GET: (req) => ({ registered_model: renderModel(store.model(required(req, 'name')), store) }),
    }),
    ...endpoint('registered-models/create', {
      POST: (req) => {
        const model = store.addModel({ name: required(req, 'name'), description: param(req, 'description'), tags: tagsParam(req) });
        return { registered_model: renderModel(model, store) };
      },
    }),
    ...endpoint('registered-models/delete', {
      DELETE: (req) => {
        store.deleteModel(required(req, 'name'));
        return {};
      },
    }),
    ...endpoint('registered-models/get-latest-versions', { GET: latestVersions, POST: latestVersions }),
    ...endpoint('registered-models/alias', {
      GET: (req) => {
        const v = store.versionByAlias(required(req, 'name'), required(req, 'alias'));
        return { model_version: renderVersion(v, store.aliasesOf(v)) };
      },
      POST: (req) => {
        store.setAlias(required(req, 'name'), required(req, 'alias'), versionParam(req));
        return {};
      },
      DELETE: (req) => {
        store.deleteAlias(required(req, 'name'), required(req, 'alias'));
        return {};
      },
    }),
    ...endpoint('model-versions/search', {
      GET: (req) => {
        const filter = parseFilter<StoredVersion>(param(req, 'filter') ?? '', VERSION_KEYS, versionAttribute);
        const orderBy = list(req, 'order_by');
        const order = compileOrderBy(orderBy, VERSION_ORDER, ['name ASC', 'version_number DESC']);
        const size = maxResults(req, VERSIONS_MAX_RESULTS.fallback, VERSIONS_MAX_RESULTS.limit);
        const ordered = store.versionViews.get(orderBy.join(','), order);
        const found = filter.comparisons.length ? ordered.filter(filter.matches) : ordered;
        const { page, nextPageToken } = paginate(found, size, param(req, 'page_token'));
        // Search results carry no aliases on a real 2.9 server.
        return compact({ model_versions: page.map((v) => renderVersion(v)), next_page_token: nextPageToken });
      },
    }),
    ...endpoint('model-versions/get', {
      GET: (req) => {
        const v = store.version(required(req, 'name'), versionParam(req));
        return { model_version: renderVersion(v, store.aliasesOf(v)) };
      },
    }),
    ...endpoint('model-versions/create', {
      POST: (req) => {
        const v = store.addVersion({
          name: required(req, 'name'),
          source: required(req, 'source'),
          runId: param(req, 'run_id'),
          description: param(req, 'description'),
          tags: tagsParam(req),
        });
        return { model_version: renderVersion(v) };
      },
    }),
    ...endpoint('model-versions/delete', {
      DELETE: (req) => {
        store.deleteVersion(required(req, 'name'), versionParam(req));
        return {};
      },
    }),
    ...endpoint('model-versions/transition-stage', {
      POST: (req) => {
        const archive = required(req, 'archive_existing_versions');
        const v = store.transitionStage(required(req, 'name'), versionParam(req), required(req, 'stage'), archive === 'true');
        return { model_version: renderVersion(v) };
      },
    }),
  ];
}

function versionAttribute(v: StoredVersion, key: string): string | number | undefined {
  if (key.startsWith('tags.')) return v.tags.get(key.slice(5));
  if (key === 'version_number') return Number(v.version);
  if (key === 'run_id') return v.runId;
  if (key === 'source_path') return v.source;
  return v.name;
}
