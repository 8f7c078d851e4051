import { instantToDb, recordIdFromDb, recordIdToDb } from './compact-values';
import type { Db } from './db';
import type { KeyIds } from './keys';
import { namesOf } from './names';
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
  const names = namesOf(db);
  const rows = prepared(db, 'SELECT type, parent_id, child_id, relation_id FROM relation_rows WHERE sink = ?').all(names.find(sink)) as Array<{
    type: number;
    parent_id: number;
    child_id: number;
    relation_id: Buffer | string;
  }>;
  return rows.map((r) => ({ type: names.name(r.type), parent: keys.keyOf(r.parent_id), child: keys.keyOf(r.child_id), relationId: recordIdFromDb(r.relation_id) }));
}

export function rememberRelations(db: Db, keys: KeyIds, sink: string, relations: readonly KnownRelation[], at: string): void {
  const names = namesOf(db);
  const stmt = prepared(
    db,
    `INSERT INTO relation_rows (sink, type, parent_id, child_id, relation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(sink, type, parent_id, child_id) DO UPDATE SET relation_id = excluded.relation_id`,
  );
  db.transaction(() => {
    for (const r of relations) stmt.run(names.id(sink), names.id(r.type), keys.idOf(r.parent), keys.idOf(r.child), recordIdToDb(r.relationId), instantToDb(at));
  })();
}

export function forgetRelations(db: Db, keys: KeyIds, sink: string, relations: ReadonlyArray<Omit<KnownRelation, 'relationId'>>): void {
  const names = namesOf(db);
  const stmt = prepared(db, 'DELETE FROM relation_rows WHERE sink = ? AND type = ? AND parent_id = ? AND child_id = ?');
  db.transaction(() => {
    for (const r of relations) {
      const parent = keys.find(r.parent);
      const child = keys.find(r.child);
      if (parent !== undefined && child !== undefined) stmt.run(names.find(sink), names.find(r.type), parent, child);
    }
  })();
}
