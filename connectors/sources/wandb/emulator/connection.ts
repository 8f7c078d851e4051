import { GraphQLError } from 'graphql';
import { MAX_PAGE_SIZE } from '../paging';

/** What a connection field is given when `first` is left out. */
export const DEFAULT_FIRST = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Connection<E> {
  totalCount: number;
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
  edges: Array<E & { cursor: string }>;
}

/**
 * A Relay page of `items`, which are sorted by `keyOf`. The cursor names the
 * last item's key, so a page stays correct when items before it are deleted,
 * and the next page starts by binary search, not a scan.
 */
export function connection<T, E extends object>(kind: string, items: readonly T[], keyOf: (t: T) => number, args: PageArgs, edge: (t: T) => E): Connection<E> {
  const first = args.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 0) throw new GraphQLError(`invalid first: ${first}; it must be zero or more`);
  if (first > MAX_PAGE_SIZE) throw new GraphQLError(`invalid first: ${first}; it must be at most ${MAX_PAGE_SIZE}`);
  const start = args.after ? firstAfter(items, keyOf, decode(kind, args.after)) : 0;
  const slice = items.slice(start, start + first);
  const edges = slice.map((t) => ({ ...edge(t), cursor: encode(kind, keyOf(t)) }));
  return {
    totalCount: items.length,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
    },
    edges,
  };
}

function encode(kind: string, key: number): string {
  return Buffer.from(`${kind}:${key}`).toString('base64');
}

function decode(kind: string, cursor: string): number {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const m = /^([A-Za-z]+):(\d+)$/.exec(text);
  if (!m || m[1] !== kind) throw new GraphQLError(`invalid cursor: ${cursor}`);
  return Number(m[2]);
}

function firstAfter<T>(items: readonly T[], keyOf: (t: T) => number, key: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(items[mid] as T) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
