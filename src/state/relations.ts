import { instantToDb, recordIdFromDb, recordIdSql, recordIdToDb } from './compact-values';
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
  const out: KnownRelation[] = [];
  // Rows as arrays and ids as text made in SQL: a row object and a Buffer per relation cost more than the relation.
  const rows = prepared(db, `SELECT type, parent_id, child_id, ${recordIdSql('relation_id')} FROM relation_rows WHERE sink = ?`)
    .raw()
    .iterate(names.find(sink)) as Iterable<[number, number, number, string]>;
  for (const [type, parent, child, relationId] of rows) out.push({ type: names.name(type), parent: keys.keyOf(parent), child: keys.keyOf(child), relationId: recordIdFromDb(relationId) });
  return out;
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
