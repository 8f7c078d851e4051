import type { Db } from '../db';
import { V2_SQL, v2Copy } from './v2-compact';
import { V3_SQL } from './v3-governance';
import { V4_SQL, v4Backfill } from './v4-audit';
import { V5_SQL, v5Backfill } from './v5-lean';
import { V6_SQL, v6Copy } from './v6-codes';
import { V7_SQL } from './v7-basis';

export interface Migration {
  version: number;
  sql: string;
  /** Data moves SQL alone cannot do (re-encoding values), run after `sql` in the same transaction. */
  up?: (db: Db) => void;
}

/**
 * Numbered, forward-only schema migrations; PRAGMA user_version records how
 * far a state file has come. Never edit a released migration: add one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE runs (
        id          TEXT PRIMARY KEY,
        command     TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        status      TEXT NOT NULL,
        summary     TEXT,
        errors      TEXT
      );
      CREATE INDEX runs_started ON runs(started_at);

      CREATE TABLE source_runs (
        run_id     TEXT NOT NULL REFERENCES runs(id),
        source     TEXT NOT NULL,
        status     TEXT NOT NULL,
        item_count INTEGER NOT NULL,
        error      TEXT,
        PRIMARY KEY (run_id, source)
      );

      CREATE TABLE items (
        key          TEXT PRIMARY KEY,
        kind         TEXT NOT NULL,
        source       TEXT NOT NULL,
        name         TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        data         TEXT NOT NULL,
        first_seen   TEXT NOT NULL,
        last_seen    TEXT NOT NULL,
        retired_at   TEXT
      );
      CREATE INDEX items_source ON items(source);

      CREATE TABLE links (
        sink       TEXT NOT NULL,
        key        TEXT NOT NULL,
        source     TEXT NOT NULL,
        kind       TEXT NOT NULL,
        record_id  TEXT NOT NULL,
        identity   TEXT NOT NULL,
        class      TEXT NOT NULL,
        applied    TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        retired_at TEXT,
        PRIMARY KEY (sink, key)
      );
      CREATE INDEX links_identity ON links(sink, identity);

      CREATE TABLE journal (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id    TEXT NOT NULL REFERENCES runs(id),
        sink      TEXT NOT NULL,
        op        TEXT NOT NULL,
        kind      TEXT NOT NULL,
        key       TEXT NOT NULL,
        record_id TEXT,
        changes   TEXT NOT NULL,
        result    TEXT NOT NULL,
        error     TEXT,
        at        TEXT NOT NULL
      );
      CREATE INDEX journal_key ON journal(key);
      CREATE INDEX journal_run ON journal(run_id);

      CREATE TABLE lease (
        name        TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        host        TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        expires_at  INTEGER NOT NULL
      );
    `,
  },
  { version: 2, sql: V2_SQL, up: v2Copy },
  { version: 3, sql: V3_SQL },
  { version: 4, sql: V4_SQL, up: v4Backfill },
  { version: 5, sql: V5_SQL, up: v5Backfill },
  { version: 6, sql: V6_SQL, up: v6Copy },
  { version: 7, sql: V7_SQL },
];
