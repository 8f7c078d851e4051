import type { Db } from './db';
import type { KeyIds } from './keys';
import { prepared } from './prepared';

/** A relation masync drew between two of its records, as it remembers it. */
export interface KnownRelation {
  type: string;
  parent: string;
  child: string;
  relationId: string;
}

/**
 * The relations masync drew, per sink: a read of the sink's relations that
 * misses many of them is a short read, not a reason to draw them all again.
 */
export function loadRelations(db: Db, keys: KeyIds, sink: string): KnownRelation[] {
  const rows = prepared(db, 'SELECT type, parent_id, child_id, relation_id FROM relations WHERE sink = ?').all(sink) as Array<{
    type: string;
    parent_id: number;
    child_id: number;
    relation_id: string;
  }>;
  return rows.map((r) => ({ type: r.type, parent: keys.keyOf(r.parent_id), child: keys.keyOf(r.child_id), relationId: r.relation_id }));
}

export function rememberRelations(db: Db, keys: KeyIds, sink: string, relations: readonly KnownRelation[], at: string): void {
  const stmt = prepared(
    db,
    `INSERT INTO relations (sink, type, parent_id, child_id, relation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(sink, type, parent_id, child_id) DO UPDATE SET relation_id = excluded.relation_id`,
  );
  db.transaction(() => {
    for (const r of relations) stmt.run(sink, r.type, keys.idOf(r.parent), keys.idOf(r.child), r.relationId, at);
  })();
}

export function forgetRelations(db: Db, keys: KeyIds, sink: string, relations: ReadonlyArray<Omit<KnownRelation, 'relationId'>>): void {
  const stmt = prepared(db, 'DELETE FROM relations WHERE sink = ? AND type = ? AND parent_id = ? AND child_id = ?');
  db.transaction(() => {
    for (const r of relations) {
      const parent = keys.find(r.parent);
      const child = keys.find(r.child);
      if (parent !== undefined && child !== undefined) stmt.run(sink, r.type, parent, child);
    }
  })();
}
