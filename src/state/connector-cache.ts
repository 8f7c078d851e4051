import type { ConnectorCache } from '../engine/types';
import { pack, unpack } from './codec';
import type { Db } from './db';
import { prepared } from './prepared';

/**
 * A connector's cache kept in the state file. Reads go to SQLite (no
 * whole-cache load: a registry's lineage can be large); writes are held and
 * written in one transaction by `flush()`, at the end of the run, so a failed
 * run's half-read leaves no trace. An entry's use is recorded at most once a
 * day, and entries unused for `ttlDays` are pruned on flush.
 */
export class StateConnectorCache implements ConnectorCache {
  private readonly pending = new Map<string, Buffer | null>();
  private readonly touched = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly connector: string,
    private readonly today: string,
  ) {}

  get<T = unknown>(key: string): T | undefined {
    if (this.pending.has(key)) {
      const v = this.pending.get(key);
      return v ? unpack<T>(v) : undefined;
    }
    const row = prepared(this.db, 'SELECT value, used_at FROM connector_cache WHERE connector = ? AND key = ?').get(this.connector, key) as { value: Buffer; used_at: string } | undefined;
    if (!row) return undefined;
    if (row.used_at < this.today) this.touched.add(key);
    return unpack<T>(row.value);
  }

  set(key: string, value: unknown): void {
    this.pending.set(key, pack(value));
  }

  delete(key: string): void {
    this.pending.set(key, null);
  }

  /** Write what the run set, mark what it used, and drop what nobody used for `ttlDays`. */
  flush(ttlDays: number): void {
    const put = prepared(this.db, 'INSERT OR REPLACE INTO connector_cache (connector, key, value, used_at) VALUES (?, ?, ?, ?)');
    const del = prepared(this.db, 'DELETE FROM connector_cache WHERE connector = ? AND key = ?');
    const touch = prepared(this.db, 'UPDATE connector_cache SET used_at = ? WHERE connector = ? AND key = ?');
    const cutoff = new Date(Date.parse(this.today) - ttlDays * 86_400_000).toISOString().slice(0, 10);
    this.db.transaction(() => {
      for (const [key, value] of this.pending) {
        if (value) put.run(this.connector, key, value, this.today);
        else del.run(this.connector, key);
      }
      for (const key of this.touched) if (!this.pending.has(key)) touch.run(this.today, this.connector, key);
      prepared(this.db, 'DELETE FROM connector_cache WHERE connector = ? AND used_at < ?').run(this.connector, cutoff);
    })();
    this.pending.clear();
    this.touched.clear();
  }
}
