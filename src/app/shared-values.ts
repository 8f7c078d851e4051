/**
 * One object (or string) for each distinct value of the small parts a hundred
 * thousand records repeat: a class name, a list of fields, the labels of an
 * owner and a cost center. Kept in memory once instead of once per record.
 * Past `max` distinct values, values are kept as they come (they do not repeat).
 */
export class SharedValues {
  private readonly byKey = new Map<string, unknown>();

  constructor(private readonly max = 10_000) {}

  of<T>(value: T): T {
    const key = typeof value === 'string' ? `s${value}` : `j${JSON.stringify(value)}`;
    const had = this.byKey.get(key);
    if (had !== undefined) return had as T;
    if (this.byKey.size < this.max) this.byKey.set(key, value);
    return value;
  }
}
