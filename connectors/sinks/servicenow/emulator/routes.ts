import type { EmuRequest, EmuResponse, Route } from '../../../emulator-kit';
import { errorBody, invalidTable, noRecord, notAuthorized } from './errors';
import { renderOptions, rowRenderer } from './render';
import type { RowSelector } from './select';
import type { Row, Store } from './store';

export interface TableApiAccess {
  /** Row-level read ACL. Applied after paging, as the instance applies limits before ACLs. */
  canRead(table: string, row: Row): boolean;
  /** Table-level denial: every call on the table answers 403. */
  isDenied(table: string): boolean;
  /** Who the request acts as: the user the instance stamps as sys_created_by / sys_updated_by. */
  userOf(req: EmuRequest): string;
}

const DEFAULT_LIMIT = 10_000;
const LIST = /^\/api\/now(?:\/v2)?\/table\/(?<table>[A-Za-z0-9_]+)$/;
const ONE = /^\/api\/now(?:\/v2)?\/table\/(?<table>[A-Za-z0-9_]+)\/(?<id>[^/]+)$/;

/** The Table API: list, read, insert, update and delete on every table the store defines. */
export function tableRoutes(store: Store, selector: RowSelector, access: TableApiAccess): Route[] {
  const guard = (req: EmuRequest): EmuResponse | undefined => {
    const table = req.params.table ?? '';
    if (!store.hasTable(table)) return invalidTable(table);
    if (access.isDenied(table)) return notAuthorized();
    return undefined;
  };
  const find = (req: EmuRequest): Readonly<Row> | undefined => {
    const row = store.peek(req.params.id ?? '');
    const table = req.params.table ?? '';
    return row && store.isA(row.sys_class_name ?? '', table) && access.canRead(table, row) ? row : undefined;
  };
  const renderer = (req: EmuRequest) => rowRenderer(store, req.params.table ?? '', renderOptions(req.query, baseUrl(req)));
  const render = (req: EmuRequest, row: Readonly<Row>) => renderer(req)(row);

  const list = (req: EmuRequest): EmuResponse => {
    const table = req.params.table ?? '';
    const rows = selector.select(table, req.query.get('sysparm_query') ?? '');
    const limit = positiveInt(req.query.get('sysparm_limit')) ?? DEFAULT_LIMIT;
    const offset = positiveInt(req.query.get('sysparm_offset')) ?? 0;
    const page = rows.slice(offset, offset + limit).filter((r) => access.canRead(table, r));
    const headers: Record<string, string> = { Link: linkHeader(req, rows.length, offset, limit) };
    if (req.query.get('sysparm_no_count') !== 'true') headers['X-Total-Count'] = String(rows.length);
    return { status: 200, headers, body: { result: page.map(renderer(req)) } };
  };

  const insert = (req: EmuRequest): EmuResponse => {
    if (!isObject(req.body)) return badPayload();
    const row = store.insert(req.params.table ?? '', req.body, access.userOf(req));
    const location = `${baseUrl(req)}/api/now/table/${req.params.table ?? ''}/${row.sys_id ?? ''}`;
    return { status: 201, headers: { Location: location }, body: { result: render(req, row) } };
  };

  const update = (req: EmuRequest): EmuResponse => {
    const row = find(req);
    if (!row) return noRecord();
    if (!isObject(req.body)) return badPayload();
    const updated = store.update(row.sys_id ?? '', req.params.table ?? '', req.body, access.userOf(req)) as Row;
    return { status: 200, body: { result: render(req, updated) } };
  };

  const handlers: Array<[string, RegExp, (req: EmuRequest) => EmuResponse]> = [
    ['GET', LIST, list],
    ['POST', LIST, insert],
    [
      'GET',
      ONE,
      (req) => {
        const row = find(req);
        return row ? { status: 200, body: { result: render(req, row) } } : noRecord();
      },
    ],
    ['PATCH', ONE, update],
    ['PUT', ONE, update],
    ['DELETE', ONE, (req) => (find(req) && store.delete(req.params.id ?? '') ? { status: 204 } : noRecord())],
  ];
  return handlers.map(([method, path, handle]) => ({ method, path, handler: (req: EmuRequest) => guard(req) ?? handle(req) }));
}

function linkHeader(req: EmuRequest, total: number, offset: number, limit: number): string {
  const at = (o: number) => {
    const q = new URLSearchParams(req.query);
    q.set('sysparm_offset', String(o));
    q.set('sysparm_limit', String(limit));
    return `<${baseUrl(req)}${req.path}?${q.toString()}>`;
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [`${at(0)};rel="first"`];
  if (offset > 0) links.push(`${at(Math.max(0, offset - limit))};rel="prev"`);
  if (offset + limit < total) links.push(`${at(offset + limit)};rel="next"`);
  links.push(`${at(last)};rel="last"`);
  return links.join(',');
}

function baseUrl(req: EmuRequest): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

function positiveInt(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function isObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

const badPayload = (): EmuResponse => ({ status: 400, body: errorBody('Exception while reading request', 'The payload is not valid JSON.') });
