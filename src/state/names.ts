import type { Db } from './db';
import { prepared } from './prepared';

/**
 * The short strings every row repeats (sink, source and class names, item
 * kinds, ops, results, relation types), each stored once in `names` and
 * referred to by number: a hundred thousand links name a handful of them.
 */
export class Names {
  private readonly ids = new Map<string, number>();
  private readonly byId = new Map<number, string>();
  private max = 0;

  constructor(private readonly db: Db) {
    this.reload();
  }

  /** The name's number, stored the first time it is asked for. */
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = Number(prepared(this.db, 'INSERT INTO names (name) VALUES (?)').run(name).lastInsertRowid);
      this.add(id, name);
    }
    return id;
  }

  /** The name's number if it was ever stored (a query for a name never written matches nothing). */
  find(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  name(id: number): string {
    const name = this.byId.get(id);
    if (name !== undefined) return name;
    this.reload();
    const again = this.byId.get(id);
    if (again === undefined) throw new Error(`state: no name with id ${id}`);
    return again;
  }

  /**
   * Names stored inside a transaction that was rolled back are gone from the
   * file (and their numbers free again): the table's highest number says so,
   * one query per batch of rows rather than one per row.
   */
  verify(): this {
    const r = prepared(this.db, 'SELECT COALESCE(MAX(id), 0) AS n FROM names').get() as { n: number };
    if (r.n !== this.max) this.reload();
    return this;
  }

  private reload(): void {
    this.ids.clear();
    this.byId.clear();
    this.max = 0;
    for (const r of prepared(this.db, 'SELECT id, name FROM names').all() as Array<{ id: number; name: string }>) this.add(r.id, r.name);
  }

  private add(id: number, name: string): void {
    this.ids.set(name, id);
    this.byId.set(id, name);
    this.max = Math.max(this.max, id);
  }
}

const cache = new WeakMap<Db, Names>();

/** This state file's names, checked against the file (see `verify`). */
export function namesOf(db: Db): Names {
  let names = cache.get(db);
  if (!names) cache.set(db, (names = new Names(db)));
  return names.verify();
}
