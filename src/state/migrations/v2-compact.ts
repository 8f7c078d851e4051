import { pack } from '../codec';
import type { Db } from '../db';
import { appliedHash } from '../links';

/**
 * Version 2: state that stays small at 100,000 versions. Item keys are
 * stored once and referred to by integer ids; item data, applied values and
 * journal payloads are packed (src/state/codec.ts); items are rewritten only
 * when they change (`changed_at` replaces a `last_seen` every run rewrote);
 * runs get a number the journal refers to. New: the relations masync drew,
 * per-connector caches kept between runs, read cursors for incremental reads,
 * and a trusted flag and per-scope counts on source reads for the guards.
 */
export const V2_SQL = `
  CREATE TABLE keys (key TEXT PRIMARY KEY, id INTEGER NOT NULL UNIQUE) WITHOUT ROWID;

  CREATE TABLE runs_v2 (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    command     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,
    pid         INTEGER,
    host        TEXT,
    summary     TEXT,
    errors      TEXT,
    notes       TEXT
  );
  INSERT INTO runs_v2 (id, command, started_at, finished_at, status, summary, errors)
    SELECT id, command, started_at, finished_at, status, summary, errors FROM runs ORDER BY started_at, rowid;
  CREATE INDEX runs_v2_started ON runs_v2(started_at);

  CREATE TABLE source_runs_v2 (
    run_id     TEXT NOT NULL,
    source     TEXT NOT NULL,
    status     TEXT NOT NULL,
    item_count INTEGER NOT NULL,
    trusted    INTEGER NOT NULL,
    scopes     TEXT,
    error      TEXT,
    PRIMARY KEY (run_id, source)
  ) WITHOUT ROWID;
  INSERT INTO source_runs_v2 (run_id, source, status, item_count, trusted, error)
    SELECT run_id, source, status, item_count, 1, error FROM source_runs;

  CREATE TABLE items_v2 (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    source     TEXT NOT NULL,
    name       TEXT NOT NULL,
    hash       BLOB NOT NULL,
    data       BLOB NOT NULL,
    first_seen TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    gone_at    TEXT
  );
  CREATE INDEX items_v2_source ON items_v2(source, gone_at);

  CREATE TABLE links_v2 (
    sink         TEXT NOT NULL,
    id           INTEGER NOT NULL,
    source       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    identity     TEXT,
    class        TEXT NOT NULL,
    applied      BLOB NOT NULL,
    applied_hash BLOB NOT NULL,
    updated_at   TEXT NOT NULL,
    retired_at   TEXT,
    PRIMARY KEY (sink, id)
  ) WITHOUT ROWID;

  CREATE TABLE journal_v2 (
    id           INTEGER PRIMARY KEY,
    run          INTEGER NOT NULL,
    sink         TEXT NOT NULL,
    op           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    key_id       INTEGER NOT NULL,
    other_key_id INTEGER,
    record_id    TEXT,
    changes      BLOB,
    result       TEXT NOT NULL,
    error        TEXT,
    at           TEXT NOT NULL
  );

  CREATE TABLE relations (
    sink        TEXT NOT NULL,
    type        TEXT NOT NULL,
    parent_id   INTEGER NOT NULL,
    child_id    INTEGER NOT NULL,
    relation_id TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (sink, type, parent_id, child_id)
  ) WITHOUT ROWID;

  CREATE TABLE connector_cache (
    connector TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     BLOB NOT NULL,
    used_at   TEXT NOT NULL,
    PRIMARY KEY (connector, key)
  ) WITHOUT ROWID;

  CREATE TABLE read_cursors (
    connector TEXT PRIMARY KEY,
    cursor    TEXT,
    full_at   TEXT
  ) WITHOUT ROWID;
`;

/** Moves version-1 rows into the compact tables, then puts the new tables in the old ones' place. */
export function v2Copy(db: Db): void {
  const ids = new Map<string, number>();
  const idOf = (key: string): number => {
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(key, id);
    }
    return id;
  };
  const runSeq = new Map((db.prepare('SELECT id, seq FROM runs_v2').all() as Array<{ id: string; seq: number }>).map((r) => [r.id, r.seq]));

  const putItem = db.prepare('INSERT INTO items_v2 (id, kind, source, name, hash, data, first_seen, changed_at, gone_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of inChunks<Record<string, string | null>>(db, 'items')) {
    const { key: _k, kind: _kind, source: _s, name: _n, observedAt: _o, ...data } = JSON.parse(r.data as string) as Record<string, unknown>;
    putItem.run(idOf(r.key as string), r.kind, r.source, r.name, Buffer.from(r.content_hash as string, 'hex').subarray(0, 16), pack(data), r.first_seen, r.last_seen, r.retired_at);
  }

  const putLink = db.prepare(
    'INSERT INTO links_v2 (sink, id, source, kind, record_id, identity, class, applied, applied_hash, updated_at, retired_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const r of inChunks<Record<string, string | null>>(db, 'links')) {
    const applied = JSON.parse(r.applied as string) as Record<string, string>;
    putLink.run(r.sink, idOf(r.key as string), r.source, r.kind, r.record_id, r.identity === r.key ? null : r.identity, r.class, pack(applied), appliedHash(applied), r.updated_at, r.retired_at);
  }

  const putEntry = db.prepare(
    'INSERT INTO journal_v2 (id, run, sink, op, kind, key_id, other_key_id, record_id, changes, result, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const r of inChunks<Record<string, string | number | null>>(db, 'journal')) {
    const changes = JSON.parse(r.changes as string) as { relation?: { type: string; parent: string; child: string } } & Record<string, unknown>;
    let other: number | null = null;
    let payload: unknown = changes;
    if (changes.relation) {
      const rel = changes.relation;
      other = idOf(rel.parent === r.key ? rel.child : rel.parent);
      payload = { type: rel.type, holder: rel.parent === r.key ? 'parent' : 'child' };
    }
    putEntry.run(r.id, runSeq.get(r.run_id as string) ?? 0, r.sink, r.op, r.kind, idOf(r.key as string), other, r.record_id, pack(payload), r.result, r.error, r.at);
  }

  const putKey = db.prepare('INSERT INTO keys (key, id) VALUES (?, ?)');
  for (const [key, id] of ids) putKey.run(key, id);

  db.exec(`
    DROP TABLE journal; DROP TABLE links; DROP TABLE items; DROP TABLE source_runs; DROP TABLE runs;
    ALTER TABLE runs_v2 RENAME TO runs;
    ALTER TABLE source_runs_v2 RENAME TO source_runs;
    ALTER TABLE items_v2 RENAME TO items;
    ALTER TABLE links_v2 RENAME TO links;
    ALTER TABLE journal_v2 RENAME TO journal;
    CREATE INDEX journal_key ON journal(key_id);
    CREATE INDEX journal_run ON journal(run);
  `);
}

/*
 * Rows of a version-1 table in rowid order, a few thousand at a time: SQLite
 * refuses writes on a connection while one of its statements is still
 * iterating, and a whole 500 MB table read at once would not fit the memory
 * the upgrade is meant to save.
 */
function* inChunks<Row>(db: Db, table: 'items' | 'links' | 'journal'): Generator<Row> {
  const page = db.prepare(`SELECT rowid AS rowid_, * FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT 2000`);
  for (let after = 0; ; ) {
    const rows = page.all(after) as Array<Row & { rowid_: number }>;
    if (rows.length === 0) return;
    after = (rows[rows.length - 1] as { rowid_: number }).rowid_;
    yield* rows;
  }
}
