import type { Db } from '../db';
import { canonicalJson } from '../../inventory/hash';
import { unpack } from '../codec';
import { instantSql, instantToDb, instantToMs, recordIdSql, recordIdToDb } from '../compact-values';
import { isRelation } from '../journal-codec';
import { Names } from '../names';

/**
 * Version 6: the journal, links and relations at a third of their size, so
 * that 100,000 versions fit well under 100 MB. Rows name their sink, source,
 * kind, class, op, result and relation type by number (`names`); a sys_id is
 * its 16 bytes, an instant its milliseconds (src/state/compact-values.ts); a
 * relation's journal row holds its type and holder as numbers instead of a
 * packed payload, and a create's labels (one of a few sets) are a name; and a link whose values are exactly its create's payload
 * names that journal row instead of holding a second copy (`applied_from`;
 * retention moves the payload into the link before it drops it).
 *
 * The tables keep their old names as views with the old text columns, so
 * the file reads the same from the sqlite3 shell. Items and their history
 * name their kind by number and keep their instants as milliseconds (an
 * instant written in another ISO form reads back in masync's); their indexes
 * on `changed_at` and `(source, gone_at)` go (nothing looks up by the first;
 * the second served a query that reads nearly every row anyway). `keys`
 * loses its index by id, which held every key a second time: ids are looked
 * up in memory (src/state/keys.ts), which also checks they never repeat.
 */
export const V6_SQL = `
  CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

  CREATE TABLE journal_rows (
    id           INTEGER PRIMARY KEY,
    run          INTEGER NOT NULL,
    sink         INTEGER NOT NULL,
    op           INTEGER NOT NULL,
    kind         INTEGER NOT NULL,
    key_id       INTEGER NOT NULL,
    other_key_id INTEGER,
    rel_type     INTEGER,
    holder       INTEGER,
    record_id,
    changes      BLOB,
    labels       INTEGER,
    result       INTEGER NOT NULL,
    error        TEXT,
    at           INTEGER NOT NULL
  );

  CREATE TABLE link_rows (
    sink         INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    source       INTEGER NOT NULL,
    kind         INTEGER NOT NULL,
    record_id    NOT NULL,
    identity     TEXT,
    class        INTEGER NOT NULL,
    applied      BLOB,
    applied_from INTEGER,
    applied_hash BLOB NOT NULL,
    match_hash   BLOB,
    updated_at   INTEGER NOT NULL,
    retired_at   INTEGER,
    PRIMARY KEY (sink, id)
  ) WITHOUT ROWID;

  CREATE TABLE relation_rows (
    sink        INTEGER NOT NULL,
    type        INTEGER NOT NULL,
    parent_id   INTEGER NOT NULL,
    child_id    INTEGER NOT NULL,
    relation_id NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (sink, type, parent_id, child_id)
  ) WITHOUT ROWID;

  CREATE TABLE items_v6 (
    id         INTEGER PRIMARY KEY,
    kind       INTEGER NOT NULL,
    source     TEXT NOT NULL,
    name       TEXT NOT NULL,
    hash       BLOB NOT NULL,
    data       BLOB NOT NULL,
    first_seen INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    gone_at    TEXT
  );
  CREATE TABLE keys_v6 (key TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO keys_v6 (key, id) SELECT key, id FROM keys;

  CREATE TABLE item_history_v6 (
    key_id INTEGER NOT NULL,
    at     INTEGER NOT NULL,
    event  TEXT NOT NULL,
    hash   BLOB,
    data   BLOB,
    PRIMARY KEY (key_id, at, event)
  ) WITHOUT ROWID;
`;

/** Indexes made after the copy: building them once is cheaper than keeping them up during it. */
const V6_AFTER_SQL = `
  DROP TABLE journal; DROP TABLE links; DROP TABLE relations; DROP TABLE items; DROP TABLE item_history;
  ALTER TABLE items_v6 RENAME TO items;
  ALTER TABLE item_history_v6 RENAME TO item_history;
  DROP TRIGGER observation_serves_insert;
  DROP TABLE keys;
  ALTER TABLE keys_v6 RENAME TO keys;
  CREATE TRIGGER observation_serves_insert AFTER INSERT ON observations
  BEGIN
    INSERT OR IGNORE INTO observation_serves (version_id, observation_id)
      SELECT k.id, new.id FROM json_each(new.serves) j JOIN keys k ON k.key = j.value;
  END;
  CREATE INDEX items_name ON items(name, kind);
  CREATE INDEX item_history_at ON item_history(at);
  CREATE TRIGGER item_history_gone AFTER UPDATE OF gone_at ON items
    WHEN old.gone_at IS NULL AND new.gone_at IS NOT NULL
  BEGIN
    INSERT OR REPLACE INTO item_history (key_id, at, event) VALUES (new.id, CAST(round(unixepoch(new.gone_at, 'subsec') * 1000) AS INTEGER), 'gone');
  END;
  CREATE TRIGGER item_history_back AFTER UPDATE OF gone_at ON items
    WHEN old.gone_at IS NOT NULL AND new.gone_at IS NULL
  BEGIN
    INSERT OR REPLACE INTO item_history (key_id, at, event) VALUES (new.id, new.changed_at, 'back');
  END;
  CREATE INDEX journal_rows_key ON journal_rows(key_id, run);
  CREATE INDEX journal_rows_run ON journal_rows(run);
  CREATE INDEX journal_rows_other_key ON journal_rows(other_key_id, run) WHERE other_key_id IS NOT NULL;

  CREATE VIEW journal AS
    SELECT j.id, j.run, s.name AS sink, o.name AS op, k.name AS kind, j.key_id, j.other_key_id, t.name AS relation_type, h.name AS holder,
      ${recordIdSql('j.record_id')} AS record_id, j.changes, l.name AS labels, r.name AS result, j.error, ${instantSql('j.at')} AS at
    FROM journal_rows j JOIN names s ON s.id = j.sink JOIN names o ON o.id = j.op JOIN names k ON k.id = j.kind JOIN names r ON r.id = j.result
      LEFT JOIN names t ON t.id = j.rel_type LEFT JOIN names h ON h.id = j.holder LEFT JOIN names l ON l.id = j.labels;
  CREATE VIEW links AS
    SELECT s.name AS sink, l.id, so.name AS source, k.name AS kind, ${recordIdSql('l.record_id')} AS record_id, l.identity, c.name AS class,
      COALESCE(l.applied, j.changes) AS applied, l.applied_hash, l.match_hash, ${instantSql('l.updated_at')} AS updated_at, ${instantSql('l.retired_at')} AS retired_at
    FROM link_rows l JOIN names s ON s.id = l.sink JOIN names so ON so.id = l.source JOIN names k ON k.id = l.kind JOIN names c ON c.id = l.class
      LEFT JOIN journal_rows j ON j.id = l.applied_from;
  CREATE VIEW relations AS
    SELECT s.name AS sink, t.name AS type, r.parent_id, r.child_id, ${recordIdSql('r.relation_id')} AS relation_id, ${instantSql('r.created_at')} AS created_at
    FROM relation_rows r JOIN names s ON s.id = r.sink JOIN names t ON t.id = r.type;
`;

const CHUNK = 2000;
type Row = Record<string, string | number | Buffer | null>;

/** Copies the version-5 rows into the compact tables in chunks (see v2Copy), then puts views in the old tables' place. */
export function v6Copy(db: Db): void {
  const names = new Names(db);
  const name = (v: unknown) => names.id(String(v));
  const optInstant = (v: unknown) => (v === null ? null : instantToDb(String(v)));

  const putEntry = db.prepare(
    `INSERT INTO journal_rows (id, run, sink, op, kind, key_id, other_key_id, rel_type, holder, record_id, changes, labels, result, error, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of chunks(db, 'SELECT * FROM journal WHERE id > ? ORDER BY id LIMIT ?', (x) => [x.id])) {
    let relation: { type: string; holder: string } | undefined;
    if (r.other_key_id !== null && r.changes !== null) {
      const c = unpack(r.changes as Buffer);
      if (isRelation(c)) relation = c;
    }
    putEntry.run(
      r.id, r.run, name(r.sink), name(r.op), name(r.kind), r.key_id, r.other_key_id,
      relation ? names.id(relation.type) : null, relation ? names.id(relation.holder) : null,
      r.record_id === null ? null : recordIdToDb(String(r.record_id)), relation ? null : r.changes, r.labels === null ? null : names.id(canonicalJson(unpack(r.labels as Buffer))), name(r.result), r.error, instantToDb(String(r.at)),
    );
  }

  const putLink = db.prepare(
    `INSERT INTO link_rows (sink, id, source, kind, record_id, identity, class, applied, applied_hash, match_hash, updated_at, retired_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of chunks(db, 'SELECT * FROM links WHERE (sink, id) > (?, ?) ORDER BY sink, id LIMIT ?', (x) => [x.sink, x.id], ['', 0])) {
    putLink.run(name(r.sink), r.id, name(r.source), name(r.kind), recordIdToDb(String(r.record_id)), r.identity, name(r.class), r.applied, r.applied_hash, r.match_hash, instantToDb(String(r.updated_at)), optInstant(r.retired_at));
  }

  const putRelation = db.prepare('INSERT INTO relation_rows (sink, type, parent_id, child_id, relation_id, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const relations = 'SELECT * FROM relations WHERE (sink, type, parent_id, child_id) > (?, ?, ?, ?) ORDER BY sink, type, parent_id, child_id LIMIT ?';
  for (const r of chunks(db, relations, (x) => [x.sink, x.type, x.parent_id, x.child_id], ['', '', 0, 0])) {
    putRelation.run(name(r.sink), name(r.type), r.parent_id, r.child_id, recordIdToDb(String(r.relation_id)), instantToDb(String(r.created_at)));
  }

  const putItem = db.prepare('INSERT INTO items_v6 (id, kind, source, name, hash, data, first_seen, changed_at, gone_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of chunks(db, 'SELECT * FROM items WHERE id > ? ORDER BY id LIMIT ?', (x) => [x.id])) {
    putItem.run(r.id, name(r.kind), r.source, r.name, r.hash, r.data, instantToMs(String(r.first_seen)), instantToMs(String(r.changed_at)), r.gone_at);
  }
  const putHistory = db.prepare('INSERT OR REPLACE INTO item_history_v6 (key_id, at, event, hash, data) VALUES (?, ?, ?, ?, ?)');
  const history = 'SELECT * FROM item_history WHERE (key_id, at, event) > (?, ?, ?) ORDER BY key_id, at, event LIMIT ?';
  for (const r of chunks(db, history, (x) => [x.key_id, x.at, x.event], [0, '', ''])) putHistory.run(r.key_id, instantToMs(String(r.at)), r.event, r.hash, r.data);

  db.exec(V6_AFTER_SQL);
  // A link's values that are exactly its create's payload (byte for byte) are kept once, in the journal.
  db.prepare(
    `UPDATE link_rows SET applied_from = (
       SELECT j.id FROM journal_rows j WHERE j.key_id = link_rows.id AND j.sink = link_rows.sink AND j.op = ? AND j.changes = link_rows.applied ORDER BY j.id DESC LIMIT 1)
     WHERE applied IS NOT NULL`,
  ).run(names.find('create'));
  db.exec('UPDATE link_rows SET applied = NULL WHERE applied_from IS NOT NULL');
}

/** Rows of a query in key order, a chunk at a time: `after` gives the key of a row, the query takes it and the chunk size. */
function* chunks(db: Db, sql: string, after: (r: Row) => unknown[], start: unknown[] = [0]): Generator<Row> {
  const page = db.prepare(sql);
  for (let from = start; ; ) {
    const rows = page.all(...from, CHUNK) as Row[];
    if (rows.length === 0) return;
    from = after(rows[rows.length - 1] as Row);
    yield* rows;
  }
}
