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
  /** Ids are allocated one after another from 1: an array indexed by id holds them in a fifth of a Map's memory. */
  private readonly byId: string[] = [];
  private next: number;

  constructor(private readonly db: Db) {
    // A row per key costs more than the key: keys and ids are read as two columns, in the table's order, from one snapshot.
    const { keys, ids } = db.transaction(() => ({
      keys: prepared(db, 'SELECT key FROM keys ORDER BY key').pluck().all() as string[],
      ids: prepared(db, 'SELECT id FROM keys ORDER BY key').pluck().all() as number[],
    }))();
    let max = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const id = ids[i] as number;
      // The file indexes keys by text only (an index by id would hold every key twice): ids are kept unique here.
      if (this.byId[id] !== undefined) throw new Error(`state: key id ${id} names both ${this.byId[id]} and ${key}; the state file is damaged`);
      this.byKey.set(key, id);
      this.byId[id] = key;
      if (id > max) max = id;
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
      this.byId[id] = key;
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
    const key = this.byId[id];
    if (key === undefined) throw new Error(`state: no key with id ${id}`);
    return key;
  }
}
