import type { Db } from '../db';
import { historyRow } from '../item-history';

/**
 * Version 4: what an auditor asks of the past. `items` holds each item only
 * as it is now, so `item_history` keeps what it was: a row when a model's or
 * version's registry content changed (without usage, cost and findings, which
 * move every day; a deployment's past is its observation intervals), and when
 * an item left its source or came back (triggers, so no writer can forget
 * them). `observation_serves` indexes which intervals served which
 * version, `observed_keys` which deployments were ever observed; and indexes
 * for the lookups `masync audit` and `masync history` make (the journal's
 * key index gains the run, so "what did run N write about key K" is one probe).
 */
export const V4_SQL = `
  CREATE TABLE item_history (
    key_id INTEGER NOT NULL,
    at     TEXT NOT NULL,
    event  TEXT NOT NULL,
    hash   BLOB,
    data   BLOB,
    PRIMARY KEY (key_id, at, event)
  ) WITHOUT ROWID;
  CREATE INDEX item_history_at ON item_history(at);

  CREATE TRIGGER item_history_gone AFTER UPDATE OF gone_at ON items
    WHEN old.gone_at IS NULL AND new.gone_at IS NOT NULL
  BEGIN
    INSERT OR REPLACE INTO item_history (key_id, at, event) VALUES (new.id, new.gone_at, 'gone');
  END;
  CREATE TRIGGER item_history_back AFTER UPDATE OF gone_at ON items
    WHEN old.gone_at IS NOT NULL AND new.gone_at IS NULL
  BEGIN
    INSERT OR REPLACE INTO item_history (key_id, at, event) VALUES (new.id, new.changed_at, 'back');
  END;

  CREATE INDEX items_changed ON items(changed_at);
  CREATE INDEX items_name ON items(name, kind);

  CREATE TABLE observation_serves (
    version_id     INTEGER NOT NULL,
    observation_id INTEGER NOT NULL,
    PRIMARY KEY (version_id, observation_id)
  ) WITHOUT ROWID;
  CREATE TRIGGER observation_serves_insert AFTER INSERT ON observations
  BEGIN
    INSERT OR IGNORE INTO observation_serves (version_id, observation_id)
      SELECT k.id, new.id FROM json_each(new.serves) j JOIN keys k ON k.key = j.value;
  END;
  INSERT OR IGNORE INTO observation_serves (version_id, observation_id)
    SELECT k.id, o.id FROM observations o, json_each(o.serves) j JOIN keys k ON k.key = j.value;

  CREATE TABLE observed_keys (key_id INTEGER PRIMARY KEY);
  CREATE TRIGGER observed_keys_insert AFTER INSERT ON observations
  BEGIN
    INSERT OR IGNORE INTO observed_keys (key_id) VALUES (new.key_id);
  END;
  INSERT OR IGNORE INTO observed_keys (key_id) SELECT DISTINCT key_id FROM observations;

  CREATE INDEX findings_key ON findings(key_id, first_seen);
  DROP INDEX journal_key;
  CREATE INDEX journal_key ON journal(key_id, run);
  CREATE INDEX journal_other_key ON journal(other_key_id, run) WHERE other_key_id IS NOT NULL;
`;

/** Items already recorded start their history as they are now: what they were before is not known. */
export function v4Backfill(db: Db): void {
  const put = db.prepare('INSERT OR REPLACE INTO item_history (key_id, at, event, hash, data) VALUES (?, ?, ?, ?, ?)');
  for (const r of db.prepare('SELECT id, kind, data, changed_at, gone_at FROM items').all() as Array<{ id: number; kind: string; data: Buffer | string; changed_at: string; gone_at: string | null }>) {
    if (r.kind !== 'deployment') {
      const row = historyRow(r.data);
      put.run(r.id, r.changed_at, 'seen', row.hash, row.data);
    }
    if (r.gone_at) put.run(r.id, r.gone_at, 'gone', null, null);
  }
}
