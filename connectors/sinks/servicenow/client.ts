import { z } from 'zod';
import { formatPath } from '../../../src/config/yaml-file';
import { MalformedResponseError } from '../../../src/errors';
import type { HttpClient } from '../../../src/http';

/** A Table API record with every value as a string (references as their sys_id). */
export type TableRow = { sys_id: string } & Record<string, string>;

// exclude_reference_link gives plain strings; a reference object is accepted in case a proxy or version ignores it.
const cell = z.union([
  z.string(),
  z.null().transform(() => ''),
  z.looseObject({ value: z.string() }).transform((v) => v.value),
]);
const row = z.object({ sys_id: z.string().min(1) }).catchall(cell);
const listBody = z.object({ result: z.array(row) });
const oneBody = z.object({ result: row });

export interface ListQuery {
  table: string;
  /** Encoded query built only from constants and values checked against a safe alphabet. */
  query: string;
  fields: readonly string[];
}

/** What a write's answer carries: the record's id, and who the instance says wrote it (masync's own writer name). */
export const WRITE_ANSWER_FIELDS = 'sys_id,sys_updated_by';
const WRITE_ANSWER = { sysparm_fields: WRITE_ANSWER_FIELDS, sysparm_exclude_reference_link: true };

/** Sees the headers of every answer (the instance's Date, for a read cursor on the instance's clock). */
export type ResponseObserver = (headers: Readonly<Record<string, string>>) => void;

interface Page {
  rows: TableRow[];
  total: number;
}

/**
 * Table API wire calls. Lists page by offset until X-Total-Count, because
 * the instance applies the limit before ACLs and a short page is not the end.
 * Once the first page has told the count, the next pages are asked for
 * `ahead` at a time, so a long listing costs a few round trips, not one per
 * page. There is no delete of a CI here on purpose: only relationship rows
 * can be removed.
 */
export class TableClient {
  constructor(
    private readonly http: HttpClient,
    private readonly connector: string,
    private readonly pageSize: number,
    private readonly ahead = 1,
  ) {}

  async *list(q: ListQuery, signal?: AbortSignal, observe?: ResponseObserver): AsyncIterable<TableRow> {
    const seen = new Set<string>();
    const query = [q.query, 'ORDERBYsys_id'].filter(Boolean).join('^');
    const fetch = (offset: number) => this.page(q, query, offset, signal, observe);
    // Offset paging can repeat a row when records are added mid-read; yield each once.
    const fresh = (rows: TableRow[]) =>
      rows.filter((r) => {
        if (seen.has(r.sys_id)) return false;
        seen.add(r.sys_id);
        return true;
      });
    let { rows, total } = await fetch(0);
    yield* fresh(rows);
    const inFlight: Array<Promise<Page>> = [];
    let next = this.pageSize;
    for (;;) {
      // The count each answer gives is the latest: a listing that grew mid-read is read to its new end.
      while (inFlight.length < this.ahead && next < total) {
        const pending = fetch(next);
        // A failure surfaces when its page's turn comes, not as an unhandled rejection meanwhile.
        pending.catch(() => undefined);
        inFlight.push(pending);
        next += this.pageSize;
      }
      const pending = inFlight.shift();
      if (!pending) return;
      ({ rows, total } = await pending);
      yield* fresh(rows);
    }
  }

  /** How many records match, from one request for a single row. */
  async count(table: string, query: string, signal?: AbortSignal): Promise<number> {
    const res = await this.http.request<unknown>({ method: 'GET', path: tablePath(table), query: { sysparm_query: query, sysparm_fields: 'sys_id', sysparm_limit: 1 }, signal });
    this.validate(listBody, res.data, `GET ${table}`);
    return this.totalCount(res.headers, table);
  }

  /** POST one record; not idempotent, so the HTTP layer does not resend it after an ambiguous failure. The answer names who wrote it. */
  async insert(table: string, fields: Record<string, string>, signal?: AbortSignal, observe?: ResponseObserver): Promise<TableRow> {
    const res = await this.http.request<unknown>({ method: 'POST', path: tablePath(table), query: WRITE_ANSWER, body: fields, signal });
    observe?.(res.headers);
    return this.validate(oneBody, res.data, `POST ${table}`).result as TableRow;
  }

  /** PATCH exactly the given fields. */
  async patch(table: string, sysId: string, fields: Record<string, string>, signal?: AbortSignal, observe?: ResponseObserver): Promise<TableRow> {
    const res = await this.http.request<unknown>({ method: 'PATCH', path: `${tablePath(table)}/${encodeURIComponent(sysId)}`, query: WRITE_ANSWER, body: fields, signal });
    observe?.(res.headers);
    return this.validate(oneBody, res.data, `PATCH ${table}/${sysId}`).result as TableRow;
  }

  /** Remove one cmdb_rel_ci row: the only delete masync ever sends. */
  async deleteRelation(sysId: string, signal?: AbortSignal, observe?: ResponseObserver): Promise<void> {
    const res = await this.http.request({ method: 'DELETE', path: `${tablePath('cmdb_rel_ci')}/${encodeURIComponent(sysId)}`, signal });
    observe?.(res.headers);
  }

  private async page(q: ListQuery, query: string, offset: number, signal: AbortSignal | undefined, observe: ResponseObserver | undefined): Promise<Page> {
    const res = await this.http.request<unknown>({
      method: 'GET',
      path: tablePath(q.table),
      query: {
        sysparm_query: query,
        sysparm_fields: q.fields.join(','),
        sysparm_limit: this.pageSize,
        sysparm_offset: offset,
        sysparm_exclude_reference_link: true,
      },
      signal,
    });
    observe?.(res.headers);
    return { rows: this.validate(listBody, res.data, `GET ${q.table}`).result as TableRow[], total: this.totalCount(res.headers, q.table) };
  }

  private totalCount(headers: Record<string, string>, table: string): number {
    const text = headers['x-total-count'];
    if (text === undefined || !/^\d+$/.test(text)) throw this.malformed(`GET ${table}`, 'X-Total-Count header', 'missing or not a count');
    return Number(text);
  }

  private validate<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
    return validated(schema, data, this.connector, what);
  }

  private malformed(what: string, field: string, problem: string): MalformedResponseError {
    return malformedResponse(this.connector, what, field, problem);
  }
}

/** `data` as `schema` reads it, or a MalformedResponseError naming the sink, the call and the first field that is wrong. */
export function validated<S extends z.ZodType>(schema: S, data: unknown, connector: string, what: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw malformedResponse(connector, what, formatPath(issue?.path ?? []), issue?.message ?? 'unexpected shape');
}

function malformedResponse(connector: string, what: string, field: string, problem: string): MalformedResponseError {
  return new MalformedResponseError(`${connector}: ${what}: malformed response: ${field}: ${problem}`, { connector, field });
}

export function tablePath(table: string): string {
  return `/api/now/table/${encodeURIComponent(table)}`;
}

/** `error.message: error.detail` from the Table API envelope, or the OAuth endpoint's error pair. */
export function serviceNowErrorMessage(data: unknown): string | undefined {
  const parsed = z
    .union([
      z.object({ error: z.object({ message: z.string().optional(), detail: z.string().nullish() }) }),
      z.object({ error: z.string().optional(), error_description: z.string() }),
    ])
    .safeParse(data);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const parts = 'error_description' in d ? [d.error, d.error_description] : [d.error.message, d.error.detail];
  const text = parts.filter((p): p is string => typeof p === 'string' && p !== '').join(': ');
  return text || undefined;
}
