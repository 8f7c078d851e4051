import { compareValues, parseEncodedQuery, runQuery, validGroups, type Condition, type EncodedQuery, type QueryTarget } from './query';
import { STAMPED_FIELDS, type Row, type Store } from './store';

// Results kept at once; a result can hold every row of a 100,000-row table.
const CACHED_RESULTS = 32;

type Ids = { readonly size: number; keys(): Iterable<string> };

/**
 * Rows of a table (and its subclasses) matching an encoded query, ordered as
 * it asks, with the semantics of `runQuery`. Two things keep it cheap on a
 * large instance: an AND condition `=`, `IN` or `INSTANCEOF` on an indexed
 * field narrows the rows read to that index's hits, and a result is kept
 * until the next write, so paging through 100,000 rows by offset sorts them
 * once, not once per page.
 */
export class RowSelector {
  private readonly results = new Map<string, ReadonlyArray<Readonly<Row>>>();
  private resultsOf = -1;

  constructor(private readonly store: Store) {}

  select(table: string, encodedQuery: string): ReadonlyArray<Readonly<Row>> {
    if (this.resultsOf !== this.store.version) {
      this.results.clear();
      this.resultsOf = this.store.version;
    }
    const key = `${table}\u0000${encodedQuery}`;
    let rows = this.results.get(key);
    if (!rows) {
      const query = parseEncodedQuery(encodedQuery);
      const target = tableTarget(this.store, table);
      rows = runQuery(this.candidates(table, query, target), query, target);
      if (this.results.size >= CACHED_RESULTS) this.results.delete(this.results.keys().next().value as string);
      this.results.set(key, rows);
    }
    return rows;
  }

  /**
   * The rows the query can match, in table order: per `^NQ` group, the
   * smallest index hit of its AND clauses; the groups' hits joined. A group
   * with no indexed clause can match any row: then the whole table.
   */
  private candidates(table: string, query: EncodedQuery, target: QueryTarget): Iterable<Readonly<Row>> {
    const members = this.store.members(table);
    const groups = validGroups(query, target);
    const picked: Ids[] = [];
    for (const group of groups) {
      let best: Ids | undefined;
      for (const clause of group) {
        const ids = this.clauseHits(clause);
        if (ids && (!best || ids.size < best.size)) best = ids;
      }
      if (!best) return members.values();
      picked.push(best);
    }
    const ids = picked.length === 1 ? (picked[0] as Ids) : union(picked);
    if (ids.size >= members.size) return members.values();
    const rows: Array<Readonly<Row>> = [];
    for (const id of ids.keys()) {
      const row = members.get(id);
      if (row) rows.push(row);
    }
    return rows.sort((a, b) => this.store.seq(a) - this.store.seq(b));
  }

  /** An OR clause is answered from indexes only when each of its conditions is. */
  private clauseHits(clause: readonly Condition[]): Ids | undefined {
    const hits: Ids[] = [];
    for (const c of clause) {
      const ids = this.hits(c);
      if (!ids) return undefined;
      hits.push(ids);
    }
    return hits.length === 1 ? hits[0] : union(hits);
  }

  private hits(c: Condition): Ids | undefined {
    if (c.field.includes('.')) return undefined;
    if (c.op === 'INSTANCEOF' && c.field === 'sys_class_name') return this.store.members(c.value);
    if (c.op === '!=' || c.op === '>' || c.op === '>=' || c.op === 'ISEMPTY') return this.valueHits(c);
    const values = c.op === '=' ? [c.value] : c.op === 'IN' ? c.value.split(',') : undefined;
    // An empty value also matches rows that lack the field, which no index lists.
    if (!values || values.includes('')) return undefined;
    if (c.field === 'sys_class_name') return this.store.ofClasses(values);
    return this.store.withValues(c.field, values);
  }

  /**
   * Conditions answered by walking an index's values: `!=` (a row without
   * the value matches nothing, as on the instance), `>` and `>=` (a value no
   * row lacks can be empty only for a stamped field), ISEMPTY on a field
   * every record is stamped with. One value's rows are disjoint from
   * another's, so their sizes add up.
   */
  private valueHits(c: Condition): Ids | undefined {
    const index = this.store.valueIndex(c.field);
    if (!index) return undefined;
    if (c.op === 'ISEMPTY') return STAMPED_FIELDS.has(c.field) ? (index.get('') ?? new Set<string>()) : undefined;
    // `>` and `>=` an empty value also match rows that lack the field.
    if (c.op !== '!=' && c.value === '') return undefined;
    const sets: Array<ReadonlySet<string>> = [];
    for (const [value, ids] of index) if (value !== '' && matches(c, value)) sets.push(ids);
    return { size: sets.reduce((n, ids) => n + ids.size, 0), keys: () => chain(sets) };
  }
}

function matches(c: Condition, value: string): boolean {
  if (c.op === '!=') return value !== c.value;
  const d = compareValues(value, c.value);
  return c.op === '>' ? d > 0 : d >= 0;
}

function* chain(sets: ReadonlyArray<ReadonlySet<string>>): Iterable<string> {
  for (const ids of sets) yield* ids;
}

function union(hits: readonly Ids[]): Ids {
  const out = new Set<string>();
  for (const ids of hits) for (const id of ids.keys()) out.add(id);
  return out;
}

/** Field names are checked against the queried table's columns; dot-walks follow reference columns. */
function tableTarget(store: Store, table: string): QueryTarget {
  return {
    isValidField(path) {
      const parts = path.split('.');
      let current = table;
      for (const [i, part] of parts.entries()) {
        const col = store.columns(current).get(part);
        if (!col) return false;
        if (i === parts.length - 1) return true;
        if (col.type !== 'reference' || !col.reference) return false;
        current = col.reference;
      }
      return false;
    },
    valueOf(row, path) {
      if (!path.includes('.')) return row[path] ?? '';
      const parts = path.split('.');
      let current: Readonly<Row> | undefined = row;
      for (const part of parts.slice(0, -1)) {
        const id: string = current?.[part] ?? '';
        current = id === '' ? undefined : store.peek(id);
      }
      return current?.[parts[parts.length - 1] as string] ?? '';
    },
    isA: (cls, base) => store.isA(cls, base),
  };
}
