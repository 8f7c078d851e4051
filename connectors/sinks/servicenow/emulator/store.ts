import { randomBytes } from 'node:crypto';

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

const TRUNCATED_TYPES = new Set(['string', 'sys_class_name']);

/**
 * Records of every table in one map keyed by sys_id, like the real instance
 * where a CI lives once whatever table it is read through. The class
 * hierarchy and columns are not a separate structure: they are derived from
 * the sys_db_object and sys_dictionary rows, so a test that deletes a
 * dictionary row removes the column exactly as an admin would.
 */
export class Store {
  private readonly rows = new Map<string, Row>();
  private catalog?: Map<string, TableInfo>;

  constructor(private readonly now: () => number) {}

  /** Register a table (and its own columns) in sys_db_object and sys_dictionary. */
  defineTable(name: string, parent: string | undefined, label: string, columns: ColumnDef[]): void {
    const parentRow = parent === undefined ? undefined : this.tableRow(parent);
    if (parent !== undefined && !parentRow) throw new Error(`define ${parent} before ${name}`);
    this.put('sys_db_object', { name, super_class: parentRow?.sys_id ?? '', label });
    for (const c of columns) this.addColumn(name, c);
  }

  addColumn(table: string, c: ColumnDef): void {
    this.put('sys_dictionary', { name: table, element: c.element, internal_type: c.type, max_length: String(c.maxLength), reference: c.reference ?? '' });
  }

  hasTable(name: string): boolean {
    return this.tables().has(name);
  }

  /** The table and its ancestors, nearest first. */
  ancestry(name: string): string[] {
    const out: string[] = [];
    for (let t: string | undefined = name; t !== undefined && !out.includes(t); t = this.tables().get(t)?.parent) out.push(t);
    return out;
  }

  isA(cls: string, base: string): boolean {
    return this.ancestry(cls).includes(base);
  }

  /** Columns a record read through `table` has: its own and every ancestor's. */
  columns(table: string): Map<string, ColumnDef> {
    const out = new Map<string, ColumnDef>();
    for (const t of this.ancestry(table)) {
      for (const [k, c] of this.tables().get(t)?.own ?? []) if (!out.has(k)) out.set(k, c);
    }
    return out;
  }

  /** Insert as the Table API does: unknown and system columns ignored, text cut to max_length. */
  insert(table: string, fields: Record<string, unknown>): Row {
    return this.put(table, this.writable(table, fields));
  }

  update(sysId: string, table: string, fields: Record<string, unknown>): Row | undefined {
    const row = this.rows.get(sysId);
    if (!row) return undefined;
    Object.assign(row, this.writable(table, fields), { sys_updated_on: this.timestamp() });
    this.touched(row.sys_class_name ?? '');
    return { ...row };
  }

  get(sysId: string): Row | undefined {
    const row = this.rows.get(sysId);
    return row ? { ...row } : undefined;
  }

  delete(sysId: string): boolean {
    const row = this.rows.get(sysId);
    if (!row) return false;
    this.rows.delete(sysId);
    this.touched(row.sys_class_name ?? '');
    return true;
  }

  /** Records of `table` and its subclasses, in insertion order. */
  rowsOf(table: string): Row[] {
    const out: Row[] = [];
    for (const row of this.rows.values()) if (this.isA(row.sys_class_name ?? '', table)) out.push({ ...row });
    return out;
  }

  private writable(table: string, fields: Record<string, unknown>): Row {
    const columns = this.columns(table);
    const out: Row = {};
    for (const [k, v] of Object.entries(fields)) {
      const col = columns.get(k);
      if (!col || k.startsWith('sys_')) continue;
      const text = v === null ? '' : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
      if (text === undefined) continue;
      out[k] = TRUNCATED_TYPES.has(col.type) && col.maxLength > 0 ? Array.from(text).slice(0, col.maxLength).join('') : text;
    }
    return out;
  }

  /** Raw insert, below column rules: used to bootstrap the catalog tables themselves. */
  private put(table: string, fields: Row): Row {
    const now = this.timestamp();
    const row: Row = { ...fields, sys_id: randomBytes(16).toString('hex'), sys_class_name: table, sys_created_on: now, sys_updated_on: now };
    this.rows.set(row.sys_id as string, row);
    this.touched(table);
    return { ...row };
  }

  private tableRow(name: string): Row | undefined {
    for (const row of this.rows.values()) if (row.sys_class_name === 'sys_db_object' && row.name === name) return row;
    return undefined;
  }

  private touched(table: string): void {
    if (table === 'sys_db_object' || table === 'sys_dictionary') this.catalog = undefined;
  }

  private tables(): Map<string, TableInfo> {
    if (this.catalog) return this.catalog;
    const byId = new Map<string, string>();
    const tables = new Map<string, TableInfo>();
    for (const row of this.rows.values()) {
      if (row.sys_class_name !== 'sys_db_object' || !row.name) continue;
      byId.set(row.sys_id ?? '', row.name);
      tables.set(row.name, { own: new Map() });
    }
    for (const row of this.rows.values()) {
      if (row.sys_class_name === 'sys_db_object' && row.name) {
        const info = tables.get(row.name) as TableInfo;
        info.parent = byId.get(row.super_class ?? '');
      } else if (row.sys_class_name === 'sys_dictionary' && row.element) {
        tables.get(row.name ?? '')?.own.set(row.element, {
          element: row.element,
          type: row.internal_type ?? 'string',
          maxLength: Number(row.max_length ?? '0') || 0,
          reference: row.reference || undefined,
        });
      }
    }
    this.catalog = tables;
    return tables;
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString().slice(0, 19).replace('T', ' ');
  }
}
