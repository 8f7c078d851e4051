import type { z } from 'zod';
import { formatPath } from '../../../src/config/yaml-file';
import { ConnectorError, MalformedResponseError } from '../../../src/errors';
import type { HttpClient } from '../../../src/http';

const GRAPHQL_PATH = '/graphql';

/** The human message of a W&B error body (`{errors: [{message}]}` or `{error: "..."}`), for the HTTP layer. */
export function wandbErrorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { errors, error } = body as Record<string, unknown>;
  if (Array.isArray(errors)) {
    const first = errors[0] as Record<string, unknown> | undefined;
    if (typeof first?.message === 'string') return first.message;
  }
  return typeof error === 'string' ? error : undefined;
}

/**
 * One W&B GraphQL endpoint. Every query is an idempotent POST (it reads
 * only), so the HTTP layer may resend it on a 5xx or a lost answer. Any entry
 * in `errors` fails the call, even beside partial data: a partial read must
 * never look complete.
 */
export class WandbClient {
  constructor(
    private readonly http: HttpClient,
    readonly source: string,
  ) {}

  /** The `data` of one query's answer. */
  async query(operation: string, query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    const res = await this.http.request({ method: 'POST', path: GRAPHQL_PATH, body: { query, variables }, idempotent: true, signal });
    return this.unwrap(operation, res.data);
  }

  /** Validates `value` (found at `path` of the answer) or throws naming the source, the item and the field. */
  parse<S extends z.ZodType>(schema: S, value: unknown, item: string, path: ReadonlyArray<PropertyKey> = []): z.output<S> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = formatPath([...path, ...(issue?.path ?? [])], '(data)');
    throw new MalformedResponseError(`source ${this.source}: item ${item}: field ${field}: ${issue?.message ?? 'invalid'}`, {
      connector: this.source,
      item,
      field,
    });
  }

  private unwrap(operation: string, body: unknown): unknown {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw this.malformed(operation, '(body)', 'a GraphQL answer ({"data": …})');
    }
    const { data, errors } = body as Record<string, unknown>;
    if (errors !== undefined && errors !== null) {
      if (!Array.isArray(errors)) throw this.malformed(operation, 'errors', 'a list of GraphQL errors');
      const first = errors[0] as Record<string, unknown> | undefined;
      if (first) throw this.graphqlError(operation, first, errors.length);
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw this.malformed(operation, 'data', 'an object');
    return data;
  }

  private graphqlError(operation: string, error: Record<string, unknown>, count: number): ConnectorError {
    const message = typeof error.message === 'string' ? error.message : 'unnamed error';
    const path = Array.isArray(error.path) ? error.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '';
    const more = count > 1 ? ` (and ${count - 1} more error${count > 2 ? 's' : ''})` : '';
    return new ConnectorError(`source ${this.source}: ${operation} failed${path ? ` at ${path}` : ''}: ${message}${more}`, {
      connector: this.source,
      operation,
      path: path || undefined,
    });
  }

  private malformed(operation: string, field: string, expected: string): MalformedResponseError {
    return new MalformedResponseError(`source ${this.source}: item ${operation} answer: field ${field}: expected ${expected}`, {
      connector: this.source,
      item: `${operation} answer`,
      field,
    });
  }
}
