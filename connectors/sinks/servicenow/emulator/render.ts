import type { ColumnDef, Row, Store } from './store';

export interface RenderOptions {
  /** sysparm_fields; unknown names are ignored, absent means every column. */
  fields?: string[];
  /** sysparm_display_value. */
  displayValue: 'false' | 'true' | 'all';
  /** sysparm_exclude_reference_link. */
  excludeReferenceLink: boolean;
  /** Scheme and host the links point at. */
  baseUrl: string;
}

export function renderOptions(query: URLSearchParams, baseUrl: string): RenderOptions {
  const fields = query.get('sysparm_fields');
  const dv = query.get('sysparm_display_value');
  return {
    fields: fields ? fields.split(',').map((f) => f.trim()).filter(Boolean) : undefined,
    displayValue: dv === 'true' || dv === 'all' ? dv : 'false',
    excludeReferenceLink: query.get('sysparm_exclude_reference_link') === 'true',
    baseUrl,
  };
}

/**
 * Records as the Table API returns them through `table`: only that table's
 * columns (its own and inherited), every value a string, references as
 * `{link, value}` unless links are excluded. The columns are worked out once
 * per request, not once per row.
 */
export function rowRenderer(store: Store, table: string, opts: RenderOptions): (row: Readonly<Row>) => Record<string, unknown> {
  const columns = store.columns(table);
  const names = opts.fields ? opts.fields.filter((f) => columns.has(f)) : [...columns.keys()];
  const cols = names.map((name) => ({ name, col: columns.get(name) }));
  return (row) => renderRow(store, row, cols, opts);
}

function renderRow(store: Store, row: Readonly<Row>, names: ReadonlyArray<{ name: string; col?: ColumnDef }>, opts: RenderOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, col } of names) {
    const value = row[name] ?? '';
    if (col?.type !== 'reference' || value === '') {
      out[name] = opts.displayValue === 'all' ? { display_value: value, value } : value;
      continue;
    }
    const link = `${opts.baseUrl}/api/now/table/${col.reference ?? ''}/${value}`;
    const display = displayOf(store.peek(value), value);
    if (opts.displayValue === 'true') out[name] = opts.excludeReferenceLink ? display : { display_value: display, link };
    else if (opts.displayValue === 'all') out[name] = opts.excludeReferenceLink ? { display_value: display, value } : { display_value: display, link, value };
    else out[name] = opts.excludeReferenceLink ? value : { link, value };
  }
  return out;
}

function displayOf(target: Readonly<Row> | undefined, fallback: string): string {
  return target?.name || target?.user_name || fallback;
}
