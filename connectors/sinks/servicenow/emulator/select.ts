import { parseEncodedQuery, runQuery, type QueryTarget } from './query';
import type { Row, Store } from './store';

/** Rows of `table` (and its subclasses) matching an encoded query, ordered as it asks. */
export function selectRows(store: Store, table: string, encodedQuery: string): Row[] {
  return runQuery(store.rowsOf(table), parseEncodedQuery(encodedQuery), tableTarget(store, table));
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
      const parts = path.split('.');
      let current: Row | undefined = row;
      for (const part of parts.slice(0, -1)) {
        const id: string = current?.[part] ?? '';
        current = id === '' ? undefined : store.get(id);
      }
      return current?.[parts[parts.length - 1] as string] ?? '';
    },
    isA: (cls, base) => store.isA(cls, base),
  };
}
