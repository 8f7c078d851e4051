import { AwsFault } from '../../../aws-kit/emulator';

export type SortValue = number | string;

/**
 * A collection kept ready for its List operation: each sort order is computed
 * once per change, not per request, and a page is found by binary search on
 * the position the NextToken names, so paging stays cheap at thousands of
 * resources and a resource added mid-listing neither repeats nor shifts others.
 */
export class SortedCollection<T> {
  private readonly byId = new Map<string, T>();
  private readonly orders = new Map<string, T[]>();

  constructor(
    private readonly idOf: (t: T) => string,
    private readonly sortKeys: Record<string, (t: T) => SortValue>,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  set(t: T): void {
    this.byId.set(this.idOf(t), t);
    this.orders.clear();
  }

  delete(id: string): void {
    if (this.byId.delete(id)) this.orders.clear();
  }

  values(): IterableIterator<T> {
    return this.byId.values();
  }

  /** Items in one order; `sortBy` must be one of the collection's sort keys. */
  sorted(sortBy: string, descending: boolean): T[] {
    const name = `${sortBy}|${descending}`;
    let out = this.orders.get(name);
    if (!out) {
      const key = this.key(sortBy);
      out = [...this.byId.values()].sort((a, b) => compare([key(a), this.idOf(a)], [key(b), this.idOf(b)], descending));
      this.orders.set(name, out);
    }
    return out;
  }

  /** One page of `items` (a sorted, possibly filtered, view of this collection) after the position `token` names. */
  page(items: readonly T[], sortBy: string, descending: boolean, token: string | undefined, max: number): { items: T[]; nextToken?: string } {
    const key = this.key(sortBy);
    const at = (t: T): Position => [key(t), this.idOf(t)];
    let start = 0;
    if (token !== undefined) {
      const after = decodeToken(token);
      let lo = 0;
      let hi = items.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compare(at(items[mid] as T), after, descending) <= 0) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const slice = items.slice(start, start + max);
    const last = slice[slice.length - 1];
    return { items: slice, nextToken: start + max < items.length && last !== undefined ? encodeToken(at(last)) : undefined };
  }

  private key(sortBy: string): (t: T) => SortValue {
    const key = this.sortKeys[sortBy];
    if (!key) throw new Error(`no sort key ${sortBy}`);
    return key;
  }
}

type Position = [SortValue, string];

// Ties on the sort value fall back to the id, always ascending, so every position is unique.
function compare(a: Position, b: Position, descending: boolean): number {
  if (a[0] !== b[0]) return (a[0] < b[0] ? -1 : 1) * (descending ? -1 : 1);
  return a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
}

function encodeToken(p: Position): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

function decodeToken(token: string): Position {
  try {
    const p: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(p) && p.length === 2 && (typeof p[0] === 'number' || typeof p[0] === 'string') && typeof p[1] === 'string') return p as Position;
  } catch {
    // falls through to the fault below
  }
  throw new AwsFault('ValidationException', 'The NextToken is invalid. Use the NextToken from a previous response of this request.');
}
