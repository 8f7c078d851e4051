import { createHash } from 'node:crypto';
import { canonicalJson, type ItemKind } from '../inventory';
import { pack, unpack } from './codec';
import type { Db } from './db';
import type { KeyIds } from './keys';
import { prepared } from './prepared';

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

/** 8 bytes of the applied values' hash: equal values, equal hash, so an unchanged record needs no unpacking. */
export function appliedHash(applied: Record<string, string>): Buffer {
  return createHash('sha256').update(canonicalJson(applied)).digest().subarray(0, 8);
}

/** A link read from state; its applied values are unpacked only when something looks at them. */
class StoredLink implements Link {
  private unpacked?: Record<string, string>;
  constructor(
    readonly sink: string,
    readonly key: string,
    readonly source: string,
    readonly kind: ItemKind,
    readonly recordId: string,
    readonly identity: string,
    readonly class_: string,
    private readonly packed: Buffer,
    readonly hash: Buffer,
    readonly retiredAt: string | undefined,
  ) {}
  get class(): string {
    return this.class_;
  }
  get applied(): Record<string, string> {
    return (this.unpacked ??= unpack<Record<string, string>>(this.packed));
  }
}

/** Whether a link's applied values equal `fields`, without unpacking them when the link came from state. */
export function appliedEquals(link: Link, fields: Record<string, string>): boolean {
  if (link instanceof StoredLink) return link.hash.equals(appliedHash(fields));
  return canonicalJson(link.applied) === canonicalJson(fields);
}

/** Every link of a sink, by item key. `identityOf` rebuilds identities not stored (those equal to the key's own). */
export function loadLinks(db: Db, keys: KeyIds, sink: string, identityOf: (key: string) => string): Map<string, Link> {
  const out = new Map<string, Link>();
  const rows = prepared(db, 'SELECT id, source, kind, record_id, identity, class, applied, applied_hash, retired_at FROM links WHERE sink = ?').iterate(sink) as Iterable<
    Record<string, string | number | Buffer | null>
  >;
  for (const r of rows) {
    const key = keys.keyOf(r.id as number);
    const identity = (r.identity as string | null) ?? identityOf(key);
    out.set(key, new StoredLink(sink, key, r.source as string, r.kind as ItemKind, r.record_id as string, identity, r.class as string, r.applied as Buffer, r.applied_hash as Buffer, (r.retired_at as string | null) ?? undefined));
  }
  return out;
}

/** Write links in one transaction; identities equal to the key's own are not stored. */
export function saveLinks(db: Db, keys: KeyIds, links: Iterable<Link>, at: string, identityOf: (key: string) => string): void {
  const stmt = prepared(
    db,
    `INSERT INTO links (sink, id, source, kind, record_id, identity, class, applied, applied_hash, updated_at, retired_at)
     VALUES (@sink, @id, @source, @kind, @recordId, @identity, @class, @applied, @hash, @at, @retiredAt)
     ON CONFLICT(sink, id) DO UPDATE SET source = @source, kind = @kind, record_id = @recordId, identity = @identity,
       class = @class, applied = @applied, applied_hash = @hash, updated_at = @at, retired_at = @retiredAt`,
  );
  db.transaction(() => {
    for (const l of links) {
      stmt.run({
        sink: l.sink,
        id: keys.idOf(l.key),
        source: l.source,
        kind: l.kind,
        recordId: l.recordId,
        identity: l.identity === identityOf(l.key) ? null : l.identity,
        class: l.class,
        applied: pack(l.applied),
        hash: appliedHash(l.applied),
        at,
        retiredAt: l.retiredAt ?? null,
      });
    }
  })();
}

export function linkCounts(db: Db): Array<{ sink: string; active: number; retired: number }> {
  return prepared(
    db,
    `SELECT sink, SUM(retired_at IS NULL) AS active, SUM(retired_at IS NOT NULL) AS retired
     FROM links GROUP BY sink ORDER BY sink`,
  ).all() as Array<{ sink: string; active: number; retired: number }>;
}
