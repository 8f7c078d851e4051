import type { EmuRequest, EmuResponse } from '../../../emulator-kit';
import { parseAql } from './aql-parse';
import { evaluate, type EvalEnv } from './aql-eval';
import { AssetsFault, badRequest, forbidden, notFound } from './errors';
import type { AttributeInput, EmuObject, EmuRole, EmuUser } from './model';
import { renderAttribute, renderObject, renderSchema, renderType, type RenderEnv } from './render';
import { allowed } from './users';

export interface AssetsApiEnv extends EvalEnv, RenderEnv {
  maxPageSize: number;
}

type Handler = (req: EmuRequest, m: RegExpExecArray, env: AssetsApiEnv) => EmuResponse;
const ok = (body: unknown, status = 200): EmuResponse => ({ status, body });

/**
 * The Assets REST resources masync uses, below the API base (Cloud
 * `/jsm/assets/workspace/{id}/v1/`, Data Center `/rest/assets/1.0/`): schema,
 * object type and attribute listing and creation, AQL search (Cloud
 * `POST object/aql` paged by startAt/isLast, Data Center `GET aql/objects`
 * paged by page number), and object create, read, update and delete.
 */
const ROUTES: Array<[string, RegExp, EmuRole, Handler]> = [
  ['GET', /^objectschema\/list$/, 'user', (req, _m, env) => schemaList(req, env)],
  ['POST', /^objectschema\/create$/, 'admin', (req, _m, env) => ok(renderSchema(env, env.catalog.createSchema(str(req, 'name'), str(req, 'objectSchemaKey'))), 201)],
  ['GET', /^objectschema\/(\d+)$/, 'user', (_r, m, env) => ok(renderSchema(env, env.catalog.schema(m[1] as string)))],
  ['GET', /^objectschema\/(\d+)\/objecttypes(?:\/flat)?$/, 'user', (_r, m, env) => ok(env.catalog.typesOf(env.catalog.schema(m[1] as string).id).map((t) => renderType(env, t)))],
  ['POST', /^objecttype\/create$/, 'manager', (req, _m, env) => ok(renderType(env, env.catalog.createType(str(req, 'objectSchemaId'), str(req, 'name'), str(req, 'iconId'))), 201)],
  ['GET', /^objecttype\/(\d+)$/, 'user', (_r, m, env) => ok(renderType(env, env.catalog.type(m[1] as string)))],
  ['GET', /^objecttype\/(\d+)\/attributes$/, 'user', (_r, m, env) => ok(env.catalog.attrsOf(env.catalog.type(m[1] as string).id).map((a) => renderAttribute(env, a)))],
  ['POST', /^objecttypeattribute\/(\d+)$/, 'manager', (req, m, env) => ok(renderAttribute(env, createAttribute(req, m[1] as string, env)), 201)],
  ['GET', /^icon\/global$/, 'user', (_r, _m, env) => ok(env.catalog.icons.map((i) => ({ id: i.id, name: i.name })))],
  ['GET', /^config\/referencetype$/, 'user', (_r, _m, env) => ok(env.catalog.referenceTypes.map((r) => ({ id: r.id, name: r.name })))],
  ['POST', /^object\/aql$/, 'user', (req, _m, env) => cloudSearch(req, env)],
  ['GET', /^aql\/objects$/, 'user', (req, _m, env) => dcSearch(req, env)],
  ['POST', /^object\/create$/, 'developer', (req, _m, env) => ok(renderObject(env, env.objects.create(str(req, 'objectTypeId'), inputs(req))), 201)],
  ['GET', /^object\/(\d+)$/, 'user', (_r, m, env) => ok(renderObject(env, env.objects.get(m[1] as string)))],
  ['PUT', /^object\/(\d+)$/, 'developer', (req, m, env) => ok(renderObject(env, env.objects.update(m[1] as string, optionalStr(req, 'objectTypeId'), inputs(req))))],
  [
    'DELETE',
    /^object\/(\d+)$/,
    'developer',
    (_r, m, env) => {
      env.objects.delete(m[1] as string);
      return { status: 204 };
    },
  ],
];

/** Answer one request below the API base, as `caller`. */
export function handleAssets(req: EmuRequest, rest: string, caller: EmuUser, env: AssetsApiEnv): EmuResponse {
  for (const [method, pattern, needs, handler] of ROUTES) {
    const m = pattern.exec(rest);
    if (!m || method !== req.method) continue;
    try {
      if (!env.cloud && method === 'POST' && rest === 'object/aql') continue;
      if (env.cloud && rest === 'aql/objects') continue;
      if (!allowed(caller, needs)) throw forbidden(needs === 'admin' ? 'create object schemas' : needs === 'manager' ? 'configure this object schema' : 'edit objects in this object schema');
      return handler(req, m, env);
    } catch (err) {
      if (err instanceof AssetsFault) return err.response();
      throw err;
    }
  }
  return notFound(`Resource ${req.method} ${rest}`).response();
}

function schemaList(req: EmuRequest, env: AssetsApiEnv): EmuResponse {
  const all = [...env.catalog.schemas.values()].map((s) => renderSchema(env, s));
  if (!env.cloud) return ok({ objectschemas: all });
  const startAt = int(req.query.get('startAt'), 0);
  const max = Math.min(int(req.query.get('maxResults'), 25), 50);
  const values = all.slice(startAt, startAt + max);
  return ok({ startAt, maxResults: max, total: all.length, values, isLast: startAt + values.length >= all.length });
}

const kept = new WeakMap<AssetsApiEnv, { query: string; version: number; hits: EmuObject[] }>();

/** Evaluate once per query while nothing changes, so paging through a large result stays cheap. */
function search(query: string, env: AssetsApiEnv): EmuObject[] {
  const last = kept.get(env);
  if (last && last.query === query && last.version === env.objects.version) return last.hits;
  const hits = evaluate(parseAql(query), env);
  kept.set(env, { query, version: env.objects.version, hits });
  return hits;
}

function cloudSearch(req: EmuRequest, env: AssetsApiEnv): EmuResponse {
  const query = str(req, 'qlQuery');
  const startAt = int(req.query.get('startAt'), 0);
  const max = Math.min(int(req.query.get('maxResults'), 25), env.maxPageSize);
  const hits = search(query, env);
  const page = hits.slice(startAt, startAt + max);
  const isLast = startAt + page.length >= hits.length;
  const withAttributes = req.query.get('includeAttributes') !== 'false';
  const values = page.map((o) => strip(renderObject(env, o), withAttributes));
  const typeIds = new Set(page.map((o) => o.typeId));
  const objectTypeAttributes = [...typeIds].flatMap((t) => env.catalog.attrsOf(t).map((a) => renderAttribute(env, a)));
  return ok({ startAt, maxResults: max, isLast, last: isLast, values, objectTypeAttributes });
}

function dcSearch(req: EmuRequest, env: AssetsApiEnv): EmuResponse {
  const query = req.query.get('qlQuery') ?? '';
  const page = Math.max(1, int(req.query.get('page'), 1));
  const per = Math.min(Math.max(1, int(req.query.get('resultPerPage'), 25)), env.maxPageSize);
  const hits = search(query, env);
  const from = (page - 1) * per;
  const entries = hits.slice(from, from + per).map((o) => strip(renderObject(env, o), req.query.get('includeAttributes') !== 'false'));
  return ok({
    objectEntries: entries,
    totalFilterCount: hits.length,
    startIndex: from,
    toIndex: from + entries.length,
    pageObjectSize: per,
    pageNumber: page,
    pageSize: Math.max(1, Math.ceil(hits.length / per)),
    qlQuery: query,
    qlQuerySearchResult: true,
    conversionPossible: false,
  });
}

function strip(obj: Record<string, unknown>, withAttributes: boolean): Record<string, unknown> {
  if (withAttributes) return obj;
  const { attributes: _attributes, ...rest } = obj;
  return rest;
}

function createAttribute(req: EmuRequest, typeId: string, env: AssetsApiEnv) {
  const b = body(req);
  const num = (k: string) => (typeof b[k] === 'number' ? (b[k] as number) : undefined);
  const type = num('type');
  if (type === undefined) throw badRequest('The type must be set', 'type');
  return env.catalog.createAttr(typeId, {
    name: str(req, 'name'),
    type,
    ...(num('defaultTypeId') !== undefined ? { defaultTypeId: num('defaultTypeId') } : {}),
    ...(typeof b.options === 'string' ? { options: b.options.split(',').map((o) => o.trim()).filter(Boolean) } : {}),
    ...(b.typeValue !== undefined ? { referenceObjectTypeId: String(b.typeValue) } : {}),
    ...(b.additionalValue !== undefined ? { referenceTypeId: String(b.additionalValue) } : {}),
    ...(num('minimumCardinality') !== undefined ? { min: num('minimumCardinality') } : {}),
    ...(num('maximumCardinality') !== undefined ? { max: num('maximumCardinality') } : {}),
    ...(b.uniqueAttribute === true ? { unique: true } : {}),
  });
}

/** `attributes: [{objectTypeAttributeId, objectAttributeValues: [{value}]}]`, ids as strings or numbers. */
function inputs(req: EmuRequest): AttributeInput[] {
  const list = body(req).attributes ?? [];
  if (!Array.isArray(list)) throw badRequest('attributes must be a list', 'attributes');
  return list.map((a: unknown, i) => {
    const entry = (a ?? {}) as { objectTypeAttributeId?: unknown; objectAttributeValues?: unknown };
    const values = entry.objectAttributeValues;
    if ((typeof entry.objectTypeAttributeId !== 'string' && typeof entry.objectTypeAttributeId !== 'number') || !Array.isArray(values)) {
      throw badRequest(`attributes[${i}] needs objectTypeAttributeId and objectAttributeValues`, 'attributes');
    }
    return {
      objectTypeAttributeId: String(entry.objectTypeAttributeId),
      values: values.map((v: unknown) => {
        const value = (v as { value?: unknown } | null)?.value;
        if (typeof value !== 'string' && typeof value !== 'number') throw badRequest(`attributes[${i}]: each value needs a "value"`, String(entry.objectTypeAttributeId));
        return String(value);
      }),
    };
  });
}

function body(req: EmuRequest): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) throw badRequest('The request body must be a JSON object');
  return req.body as Record<string, unknown>;
}

function optionalStr(req: EmuRequest, key: string): string | undefined {
  const v = body(req)[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function str(req: EmuRequest, key: string): string {
  const v = optionalStr(req, key);
  if (v === undefined) throw badRequest(`${key} must be set`, key);
  return v;
}

function int(text: string | null, fallback: number): number {
  return text !== null && /^\d+$/.test(text) ? Number(text) : fallback;
}
