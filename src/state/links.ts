import type { ItemKind } from '../inventory';
import type { Db } from './db';

/** What masync knows about one item's record in one sink. */
export interface Link {
  sink: string;
  key: string;
  source: string;
  kind: ItemKind;
  recordId: string;
  identity: string;
  class: string;
  /** Field values masync last wrote or confirmed: the base of the three-way drift check. */
  applied: Record<string, string>;
  retiredAt?: string;
}

export function linksForSink(db: Db, sink: string): Map<string, Link> {
  const rows = db.prepare('SELECT * FROM links WHERE sink = ?').all(sink) as Array<Record<string, string | null>>;
  const out = new Map<string, Link>();
  for (const r of rows) {
    out.set(r.key as string, {
      sink,
      key: r.key as string,
      source: r.source as string,
      kind: r.kind as ItemKind,
      recordId: r.record_id as string,
      identity: r.identity as string,
      class: r.class as string,
      applied: JSON.parse(r.applied as string) as Record<string, string>,
      retiredAt: r.retired_at ?? undefined,
    });
  }
  return out;
}

export function upsertLink(db: Db, link: Link, at: string): void {
  db.prepare(
    `INSERT INTO links (sink, key, source, kind, record_id, identity, class, applied, updated_at, retired_at)
     VALUES (@sink, @key, @source, @kind, @recordId, @identity, @class, @applied, @at, @retiredAt)
     ON CONFLICT(sink, key) DO UPDATE SET source = @source, kind = @kind, record_id = @recordId, identity = @identity,
       class = @class, applied = @applied, updated_at = @at, retired_at = @retiredAt`,
  ).run({ ...link, applied: JSON.stringify(link.applied), retiredAt: link.retiredAt ?? null, at });
}

export function linkCounts(db: Db): Array<{ sink: string; active: number; retired: number }> {
  return db
    .prepare(
      `SELECT sink, SUM(retired_at IS NULL) AS active, SUM(retired_at IS NOT NULL) AS retired
       FROM links GROUP BY sink ORDER BY sink`,
    )
    .all() as Array<{ sink: string; active: number; retired: number }>;
}
