import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { HttpClient } from '../../../src/http';
import { validated, type ResponseObserver } from './client';

export const BATCH_PATH = '/api/now/v1/batch';

/** One Table API request to carry in a batch. */
export interface SubRequest {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path and query below the instance, e.g. `/api/now/table/cmdb_rel_ci?sysparm_fields=sys_id`. */
  url: string;
  body?: Record<string, string>;
}

/** What came back for one sub-request: its answer (body parsed, if it could be), or nothing. */
export type SubAnswer = { kind: 'answered'; status: number; data: unknown; readable: boolean } | { kind: 'unserviced' } | { kind: 'missing' };

const JSON_HEADERS = [
  { name: 'Content-Type', value: 'application/json' },
  { name: 'Accept', value: 'application/json' },
];

const batchBody = z.object({
  serviced_requests: z.array(z.looseObject({ id: z.string(), status_code: z.number().int(), body: z.string().nullish() })),
  // Documented as the ids of what was not processed; an object with an id is read too.
  unserviced_requests: z.array(z.union([z.string(), z.looseObject({ id: z.string() }).transform((o) => o.id)])).nullish(),
});

/**
 * The Batch API: several Table API requests in one round trip, run by the
 * instance one after the other under the caller's ACLs. The call is sent
 * once; the HTTP layer may resend it only when every request in it is
 * idempotent (no POST).
 */
export class BatchClient {
  constructor(
    private readonly http: HttpClient,
    private readonly connector: string,
  ) {}

  async send(requests: readonly SubRequest[], signal?: AbortSignal, observe?: ResponseObserver): Promise<Map<string, SubAnswer>> {
    const res = await this.http.request<unknown>({
      method: 'POST',
      path: BATCH_PATH,
      body: {
        batch_request_id: randomUUID(),
        rest_requests: requests.map((r) => ({
          id: r.id,
          method: r.method,
          url: r.url,
          headers: JSON_HEADERS,
          exclude_response_headers: true,
          ...(r.body ? { body: Buffer.from(JSON.stringify(r.body), 'utf8').toString('base64') } : {}),
        })),
      },
      idempotent: requests.every((r) => r.method !== 'POST'),
      signal,
    });
    observe?.(res.headers);
    const body = validated(batchBody, res.data, this.connector, `POST ${BATCH_PATH}`);
    const out = new Map<string, SubAnswer>(requests.map((r) => [r.id, { kind: 'missing' }]));
    for (const id of body.unserviced_requests ?? []) if (out.has(id)) out.set(id, { kind: 'unserviced' });
    for (const s of body.serviced_requests) if (out.has(s.id)) out.set(s.id, { kind: 'answered', status: s.status_code, ...decode(s.body ?? '') });
    return out;
  }
}

function decode(base64: string): { data: unknown; readable: boolean } {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  if (text.trim() === '') return { data: undefined, readable: true };
  try {
    return { data: JSON.parse(text) as unknown, readable: true };
  } catch {
    return { data: undefined, readable: false };
  }
}
