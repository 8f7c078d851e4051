/**
 * Ordered copies of a collection, one per sort order asked for, kept until the
 * collection changes: a search pages through a cached list instead of
 * flattening and sorting every record on every request.
 */
export class SortedViews<T> {
  private readonly views = new Map<string, readonly T[]>();

  constructor(private readonly all: () => Iterable<T>) {}

  /** The records in the order `compare` gives; `key` names that order (e.g. the order_by clauses). */
  get(key: string, compare: (a: T, b: T) => number): readonly T[] {
    let view = this.views.get(key);
    if (!view) {
      view = [...this.all()].sort(compare);
      this.views.set(key, view);
    }
    return view;
  }

  /** Call on every write that adds, removes or reorders a record. */
  invalidate(): void {
    this.views.clear();
  }
}
