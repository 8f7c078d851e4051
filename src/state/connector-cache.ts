import type { ConnectorCache } from '../engine/types';
import { packJson, unpack } from './codec';
import type { Db } from './db';
import { dictionaryFor, trainDictionary } from './dictionaries';
import { prepared } from './prepared';

/**
 * A connector's cache kept in the state file. Reads go to SQLite (no
 * whole-cache load: a registry's lineage can be large); writes are held and
 * written in one transaction by `flush()`, at the end of the run, so a failed
 * run's half-read leaves no trace. An entry's use is recorded at most once a
 * day, and entries unused for `ttlDays` are pruned on flush.
 */
export class StateConnectorCache implements ConnectorCache {
  /** key → the value as JSON text, or null for a deletion. */
  private readonly pending = new Map<string, string | null>();
  private readonly touched = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly connector: string,
    private readonly today: string,
  ) {}

  get<T = unknown>(key: string): T | undefined {
    if (this.pending.has(key)) {
      const v = this.pending.get(key);
      return v ? (JSON.parse(v) as T) : undefined;
    }
    const row = prepared(this.db, 'SELECT value, used_at FROM connector_cache WHERE connector = ? AND key = ?').get(this.connector, key) as { value: Buffer; used_at: string } | undefined;
    if (!row) return undefined;
    if (row.used_at < this.today) this.touched.add(key);
    return unpack<T>(row.value);
  }

  set(key: string, value: unknown): void {
    this.pending.set(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.pending.set(key, null);
  }

  /** Before `flush`, outside any transaction: a first big flush trains the dictionary cache values are packed with. */
  train(): void {
    if (this.pending.size === 0) return;
    const samples: string[] = [];
    for (const v of this.pending.values()) if (v !== null && samples.push(v) >= 256) break;
    trainDictionary(this.db, 'cache', samples);
  }

  /** Write what the run set, mark what it used, and drop what nobody used for `ttlDays`. */
  flush(ttlDays: number): void {
    const put = prepared(this.db, 'INSERT OR REPLACE INTO connector_cache (connector, key, value, used_at) VALUES (?, ?, ?, ?)');
    const del = prepared(this.db, 'DELETE FROM connector_cache WHERE connector = ? AND key = ?');
    const touch = prepared(this.db, 'UPDATE connector_cache SET used_at = ? WHERE connector = ? AND key = ?');
    const cutoff = new Date(Date.parse(this.today) - ttlDays * 86_400_000).toISOString().slice(0, 10);
    const dictionary = dictionaryFor(this.db, 'cache');
    // In key order: the table is ordered by key, and rows added in its order fill its pages (in hash order, half of each page stays empty).
    const keys = [...this.pending.keys()].sort();
    this.db.transaction(() => {
      for (const key of keys) {
        const value = this.pending.get(key);
        if (value) put.run(this.connector, key, packJson(value, dictionary), this.today);
        else del.run(this.connector, key);
      }
      for (const key of this.touched) if (!this.pending.has(key)) touch.run(this.today, this.connector, key);
      prepared(this.db, 'DELETE FROM connector_cache WHERE connector = ? AND used_at < ?').run(this.connector, cutoff);
    })();
    this.pending.clear();
    this.touched.clear();
  }
}
