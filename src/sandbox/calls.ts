import type { CallTally } from './part';

// Segments that name one record rather than an operation: sys_ids and run ids (32 hex), UUIDs, numbers.
const ID_SEGMENT = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)$/i;

/** `PATCH /api/now/table/cmdb_ci_appl/<sys_id>` → `PATCH /api/now/table/cmdb_ci_appl/{id}`: one operation, whatever record it names. */
export function operationOf(method: string, path: string): string {
  return `${method} ${path
    .split('/')
    .map((s) => (ID_SEGMENT.test(s) ? '{id}' : s))
    .join('/')}`;
}

/** Tally an emulator's request log by operation; requests carried inside a batch (`via`) count apart from round trips. */
export function tallyRequests(requests: ReadonlyArray<{ method: string; path: string; via?: string }>): CallTally {
  const out: CallTally = {};
  for (const r of requests) {
    const op = operationOf(r.method, r.path);
    const t = (out[op] ??= { roundTrips: 0, subRequests: 0 });
    if (r.via === undefined) t.roundTrips++;
    else t.subRequests++;
  }
  return out;
}

/** Tally named operations (AWS: the X-Amz-Target action), each a round trip. */
export function tallyOperations(operations: Iterable<string>): CallTally {
  const out: CallTally = {};
  for (const op of operations) (out[op] ??= { roundTrips: 0, subRequests: 0 }).roundTrips++;
  return out;
}

/** What `after` counted beyond `before`: the calls of one step. */
export function tallySince(before: CallTally, after: CallTally): CallTally {
  const out: CallTally = {};
  for (const [op, t] of Object.entries(after)) {
    const b = before[op] ?? { roundTrips: 0, subRequests: 0 };
    const d = { roundTrips: t.roundTrips - b.roundTrips, subRequests: t.subRequests - b.subRequests };
    if (d.roundTrips > 0 || d.subRequests > 0) out[op] = d;
  }
  return out;
}

/** Round trips and sub-requests over every operation. */
export function tallyTotal(t: CallTally): { roundTrips: number; subRequests: number } {
  let roundTrips = 0;
  let subRequests = 0;
  for (const v of Object.values(t)) {
    roundTrips += v.roundTrips;
    subRequests += v.subRequests;
  }
  return { roundTrips, subRequests };
}
