import { canonicalJson, itemHash, type InventoryItem } from '../inventory';
import type { Db } from './db';

/** Remember what each source held this run; first_seen survives, last_seen moves. */
export function upsertItems(db: Db, items: readonly InventoryItem[], at: string): void {
  const stmt = db.prepare(
    `INSERT INTO items (key, kind, source, name, content_hash, data, first_seen, last_seen, retired_at)
     VALUES (@key, @kind, @source, @name, @hash, @data, @at, @at, NULL)
     ON CONFLICT(key) DO UPDATE SET kind = @kind, source = @source, name = @name, content_hash = @hash,
       data = @data, last_seen = @at, retired_at = NULL`,
  );
  db.transaction(() => {
    for (const item of items) {
      stmt.run({ key: item.key, kind: item.kind, source: item.source, name: item.name, hash: itemHash(item), data: canonicalJson(item), at });
    }
  })();
}

/** Items of these sources that were not seen this run are gone from the platform. */
export function markMissingRetired(db: Db, sources: readonly string[], seen: ReadonlySet<string>, at: string): number {
  const rows = db
    .prepare(`SELECT key, source FROM items WHERE retired_at IS NULL`)
    .all() as Array<{ key: string; source: string }>;
  const wanted = new Set(sources);
  const stmt = db.prepare('UPDATE items SET retired_at = ? WHERE key = ?');
  let n = 0;
  db.transaction(() => {
    for (const r of rows) {
      if (wanted.has(r.source) && !seen.has(r.key)) {
        stmt.run(at, r.key);
        n++;
      }
    }
  })();
  return n;
}

export function itemCounts(db: Db): Array<{ source: string; kind: string; active: number; retired: number }> {
  return db
    .prepare(
      `SELECT source, kind, SUM(retired_at IS NULL) AS active, SUM(retired_at IS NOT NULL) AS retired
       FROM items GROUP BY source, kind ORDER BY source, kind`,
    )
    .all() as Array<{ source: string; kind: string; active: number; retired: number }>;
}
