import { randomBytes } from 'node:crypto';
import { Catalog, type ColumnDef, type Row } from './catalog';

export type { ColumnDef, Row } from './catalog';

/** Fields masync and the Table API filter on (`=`, `IN`, `!=`, and `>`/`>=` for times): each has a value → sys_ids index. */
export const INDEXED_FIELDS: ReadonlySet<string> = new Set([
  'discovery_source',
  'correlation_id',
  'parent',
  'child',
  'type',
  'name',
  'element',
  'user_name',
  'email',
  'value',
  'sys_updated_on',
  'sys_updated_by',
]);

/** Fields every record carries from its insert on, so "empty" is an index entry, never a missing key. */
export const STAMPED_FIELDS: ReadonlySet<string> = new Set(['sys_created_by', 'sys_updated_by', 'sys_created_on', 'sys_updated_on']);

/** Who wrote a record the emulator's own code made (seed data, catalog): the instance's `system` account. */
export const SYSTEM_USER = 'system';

const TRUNCATED_TYPES = new Set(['string', 'sys_class_name']);
const CATALOG_TABLES = new Set(['sys_db_object', 'sys_dictionary']);

/**
 * Records of every table in one map keyed by sys_id, like the real instance
 * where a CI lives once whatever table it is read through. The class
 * hierarchy and columns are not a separate structure: they are derived from
 * the sys_db_object and sys_dictionary rows, so a test that deletes a
 * dictionary row removes the column exactly as an admin would.
 *
 * Built for 100,000s of rows: rows are indexed by exact class, by table
 * (with subclasses, kept in insertion order) and by the values of
 * INDEXED_FIELDS. `version` moves on every write, so readers can cache.
 */
export class Store {
  /** Moves on every insert, update and delete. */
  version = 0;
  private readonly rows = new Map<string, Row>();
  private readonly seqs = new Map<string, number>();
  private nextSeq = 0;
  private readonly byClass = new Map<string, Map<string, Row>>();
  private readonly byTable = new Map<string, Map<string, Row>>();
  private readonly byValue = new Map<string, Map<string, Set<string>>>();
  private catalogCache?: Catalog;

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

  get catalog(): Catalog {
    this.catalogCache ??= Catalog.fromRows(this.byClass.get('sys_db_object')?.values() ?? [], this.byClass.get('sys_dictionary')?.values() ?? []);
    return this.catalogCache;
  }

  hasTable(name: string): boolean {
    return this.catalog.has(name);
  }

  isA(cls: string, base: string): boolean {
    return this.catalog.isA(cls, base);
  }

  columns(table: string): ReadonlyMap<string, ColumnDef> {
    return this.catalog.columns(table);
  }

  /** Insert as the Table API does, as `user`: unknown and system columns ignored, text cut to max_length. */
  insert(table: string, fields: Record<string, unknown>, user = SYSTEM_USER): Row {
    return { ...this.put(table, this.writable(table, fields), user) };
  }

  /** Update as `user`, who becomes the record's sys_updated_by. */
  update(sysId: string, table: string, fields: Record<string, unknown>, user = SYSTEM_USER): Row | undefined {
    const row = this.rows.get(sysId);
    if (!row) return undefined;
    const changes: Row = { ...this.writable(table, fields), sys_updated_on: this.timestamp(), sys_updated_by: user };
    for (const [field, value] of Object.entries(changes)) {
      if (row[field] === value) continue;
      this.unindex(field, row[field], sysId);
      row[field] = value;
      this.indexValue(field, value, sysId);
    }
    this.touched(row.sys_class_name ?? '');
    return { ...row };
  }

  /** A copy of the record, or undefined. */
  get(sysId: string): Row | undefined {
    const row = this.rows.get(sysId);
    return row ? { ...row } : undefined;
  }

  /** The stored record itself, for readers that only look: no copy. */
  peek(sysId: string): Readonly<Row> | undefined {
    return this.rows.get(sysId);
  }

  delete(sysId: string): boolean {
    const row = this.rows.get(sysId);
    if (!row) return false;
    this.rows.delete(sysId);
    this.seqs.delete(sysId);
    const cls = row.sys_class_name ?? '';
    this.byClass.get(cls)?.delete(sysId);
    for (const t of this.tablesOf(cls)) this.byTable.get(t)?.delete(sysId);
    for (const [field, value] of Object.entries(row)) this.unindex(field, value, sysId);
    this.touched(cls);
    return true;
  }

  /** Copies of the records of `table` and its subclasses, in insertion order. */
  rowsOf(table: string): Row[] {
    return [...this.members(table).values()].map((r) => ({ ...r }));
  }

  /** The records of `table` and its subclasses, in insertion order (stored objects: look, do not touch). */
  members(table: string): ReadonlyMap<string, Readonly<Row>> {
    let out = this.byTable.get(table);
    if (!out) {
      const classes = this.catalog.descendants(table);
      const rows = classes.flatMap((c) => [...(this.byClass.get(c)?.values() ?? [])]);
      if (classes.length > 1) rows.sort((a, b) => this.seq(a) - this.seq(b));
      out = new Map(rows.map((r) => [r.sys_id as string, r]));
      this.byTable.set(table, out);
    }
    return out;
  }

  /** sys_ids of records whose class is exactly one of `classes`. */
  ofClasses(classes: readonly string[]): ReadonlySet<string> | ReadonlyMap<string, unknown> {
    if (classes.length === 1) return this.byClass.get(classes[0] as string) ?? new Set();
    const out = new Set<string>();
    for (const c of classes) for (const id of this.byClass.get(c)?.keys() ?? []) out.add(id);
    return out;
  }

  /** The values of an indexed field, each with the sys_ids holding it; undefined when the field has no index. */
  valueIndex(field: string): ReadonlyMap<string, ReadonlySet<string>> | undefined {
    return INDEXED_FIELDS.has(field) ? (this.byValue.get(field) ?? new Map()) : undefined;
  }

  /** sys_ids whose `field` holds one of `values`; undefined when the field has no index. */
  withValues(field: string, values: readonly string[]): Set<string> | undefined {
    if (field === 'sys_id') return new Set(values.filter((v) => this.rows.has(v)));
    if (!INDEXED_FIELDS.has(field)) return undefined;
    const index = this.byValue.get(field);
    if (values.length === 1) return index?.get(values[0] as string) ?? new Set();
    const out = new Set<string>();
    for (const v of values) for (const id of index?.get(v) ?? []) out.add(id);
    return out;
  }

  /** Insertion order of a stored record: sorts index hits back into table order. */
  seq(row: Readonly<Row>): number {
    return this.seqs.get(row.sys_id ?? '') ?? 0;
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
  private put(table: string, fields: Row, user = SYSTEM_USER): Row {
    const now = this.timestamp();
    const stamps = { sys_created_on: now, sys_updated_on: now, sys_created_by: user, sys_updated_by: user };
    const row: Row = { ...fields, sys_id: randomBytes(16).toString('hex'), sys_class_name: table, ...stamps };
    const id = row.sys_id as string;
    this.rows.set(id, row);
    this.seqs.set(id, this.nextSeq++);
    let cls = this.byClass.get(table);
    if (!cls) this.byClass.set(table, (cls = new Map()));
    cls.set(id, row);
    for (const [field, value] of Object.entries(row)) this.indexValue(field, value, id);
    this.touched(table);
    // A new record is the newest in every table it belongs to, so appending keeps insertion order.
    for (const t of this.tablesOf(table)) this.byTable.get(t)?.set(id, row);
    return row;
  }

  /** The class and its ancestors; the catalog tables have none, and asking would rebuild the catalog on every column added. */
  private tablesOf(cls: string): readonly string[] {
    return CATALOG_TABLES.has(cls) ? [cls] : this.catalog.ancestry(cls);
  }

  private indexValue(field: string, value: string | undefined, id: string): void {
    if (!INDEXED_FIELDS.has(field) || value === undefined) return;
    let index = this.byValue.get(field);
    if (!index) this.byValue.set(field, (index = new Map()));
    let ids = index.get(value);
    if (!ids) index.set(value, (ids = new Set()));
    ids.add(id);
  }

  private unindex(field: string, value: string | undefined, id: string): void {
    if (value === undefined) return;
    const index = this.byValue.get(field);
    const ids = index?.get(value);
    if (!ids) return;
    ids.delete(id);
    // Range conditions walk the values: a time nobody holds any more must not stay behind.
    if (ids.size === 0) index?.delete(value);
  }

  private tableRow(name: string): Row | undefined {
    for (const id of this.byValue.get('name')?.get(name) ?? []) {
      const row = this.rows.get(id);
      if (row?.sys_class_name === 'sys_db_object') return row;
    }
    return undefined;
  }

  private touched(table: string): void {
    this.version++;
    if (!CATALOG_TABLES.has(table)) return;
    this.catalogCache = undefined;
    // The hierarchy may have changed: table memberships are rebuilt when next asked for.
    if (table === 'sys_db_object') this.byTable.clear();
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString().slice(0, 19).replace('T', ' ');
  }
}
