import type { Db } from './db';
import { prepared } from './prepared';

/**
 * Item keys are long (`mlflow://host/models/name/versions/12`) and every
 * table refers to them, so each is stored once and referred to by number.
 * One instance per run keeps the whole map in memory: a lookup per write
 * would cost more than the write.
 */
export class KeyIds {
  private readonly byKey = new Map<string, number>();
  private readonly byId = new Map<number, string>();
  private next: number;

  constructor(private readonly db: Db) {
    for (const r of prepared(db, 'SELECT key, id FROM keys').iterate() as Iterable<{ key: string; id: number }>) {
      this.byKey.set(r.key, r.id);
      this.byId.set(r.id, r.key);
    }
    this.next = (prepared(db, 'SELECT COALESCE(MAX(id), 0) AS n FROM keys').get() as { n: number }).n + 1;
  }

  /** The key's id, allocated (and stored) the first time it is asked for. */
  idOf(key: string): number {
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.next++;
      prepared(this.db, 'INSERT INTO keys (key, id) VALUES (?, ?)').run(key, id);
      this.byKey.set(key, id);
      this.byId.set(id, key);
    }
    return id;
  }

  /** The id of a key already known, without allocating one. */
  find(key: string): number | undefined {
    return this.byKey.get(key);
  }

  keyOf(id: number): string {
    const key = this.byId.get(id);
    if (key === undefined) throw new Error(`state: no key with id ${id}`);
    return key;
  }
}
