import type { Db } from './db';
import { prepared } from './prepared';

/**
 * Item keys are long (`mlflow://host/models/name/versions/12`) and every
 * table refers to them, so each is stored once and referred to by number.
 * One instance per run keeps the whole map in memory: a lookup per write
 * would cost more than the write. Ids are allocated here only, by the run
 * that holds the lease.
 */
export class KeyIds {
  private readonly byKey = new Map<string, number>();
  private readonly byId = new Map<number, string>();
  private next: number;

  constructor(private readonly db: Db) {
    let max = 0;
    for (const r of prepared(db, 'SELECT key, id FROM keys').iterate() as Iterable<{ key: string; id: number }>) {
      // The file indexes keys by text only (an index by id would hold every key twice): ids are kept unique here.
      if (this.byId.has(r.id)) throw new Error(`state: key id ${r.id} names both ${this.byId.get(r.id)} and ${r.key}; the state file is damaged`);
      this.byKey.set(r.key, r.id);
      this.byId.set(r.id, r.key);
      max = Math.max(max, r.id);
    }
    this.next = max + 1;
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

  /**
   * Store every one of these keys now, in a transaction of its own. An id
   * allocated inside a larger transaction that then rolls back would stay
   * here while its row is gone from the file, and a row written later would
   * name a key the file does not have: a run stores the keys of all it may
   * write before it writes.
   */
  storeAll(keys: Iterable<string>): void {
    if (this.db.inTransaction) throw new Error('state: keys are stored ahead in a transaction of their own, not inside another');
    this.db.transaction(() => {
      for (const key of keys) this.idOf(key);
    })();
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
