/** A stored record: every value a string, as the Table API keeps them. */
export type Row = Record<string, string>;

export interface ColumnDef {
  element: string;
  /** sys_dictionary internal_type: string, integer, reference, GUID, glide_date_time, sys_class_name. */
  type: string;
  maxLength: number;
  /** Table a reference column points into. */
  reference?: string;
}

interface TableInfo {
  parent?: string;
  own: Map<string, ColumnDef>;
}

/**
 * The tables, their hierarchy and their columns, as the sys_db_object and
 * sys_dictionary rows say at one moment. Built again whenever those rows
 * change; everything asked of it is computed once and kept.
 */
export class Catalog {
  private readonly ancestries = new Map<string, string[]>();
  private readonly descendantLists = new Map<string, string[]>();
  private readonly columnMaps = new Map<string, Map<string, ColumnDef>>();

  private constructor(private readonly tables: Map<string, TableInfo>) {}

  static fromRows(tableRows: Iterable<Row>, dictionaryRows: Iterable<Row>): Catalog {
    const nameById = new Map<string, string>();
    const tables = new Map<string, TableInfo>();
    const parents: Array<[string, string]> = [];
    for (const row of tableRows) {
      if (!row.name) continue;
      nameById.set(row.sys_id ?? '', row.name);
      tables.set(row.name, { own: new Map() });
      parents.push([row.name, row.super_class ?? '']);
    }
    for (const [name, parentId] of parents) (tables.get(name) as TableInfo).parent = nameById.get(parentId);
    for (const row of dictionaryRows) {
      if (!row.element) continue;
      tables.get(row.name ?? '')?.own.set(row.element, {
        element: row.element,
        type: row.internal_type ?? 'string',
        maxLength: Number(row.max_length ?? '0') || 0,
        reference: row.reference || undefined,
      });
    }
    return new Catalog(tables);
  }

  has(name: string): boolean {
    return this.tables.has(name);
  }

  /** The table and its ancestors, nearest first. */
  ancestry(name: string): readonly string[] {
    let out = this.ancestries.get(name);
    if (!out) {
      out = [];
      for (let t: string | undefined = name; t !== undefined && !out.includes(t); t = this.tables.get(t)?.parent) out.push(t);
      this.ancestries.set(name, out);
    }
    return out;
  }

  /** The table and every table below it. */
  descendants(name: string): readonly string[] {
    let out = this.descendantLists.get(name);
    if (!out) {
      out = [...this.tables.keys()].filter((t) => this.ancestry(t).includes(name));
      this.descendantLists.set(name, out);
    }
    return out;
  }

  isA(cls: string, base: string): boolean {
    return this.ancestry(cls).includes(base);
  }

  /** Columns a record read through `table` has: its own and every ancestor's. */
  columns(table: string): ReadonlyMap<string, ColumnDef> {
    let out = this.columnMaps.get(table);
    if (!out) {
      out = new Map<string, ColumnDef>();
      for (const t of this.ancestry(table)) for (const [k, c] of this.tables.get(t)?.own ?? []) if (!out.has(k)) out.set(k, c);
      this.columnMaps.set(table, out);
    }
    return out;
  }
}
