/**
 * Version 3: what enrichment learns, kept because history cannot be
 * back-filled. Findings open and clear over time; costs are recorded per key
 * and day; observations are the intervals in which a deployment served a set
 * of versions on given hardware ("what ran where, when"), closed only when
 * something changes.
 */
export const V3_SQL = `
  CREATE TABLE findings (
    type          TEXT NOT NULL,
    key_id        INTEGER NOT NULL,
    severity      TEXT NOT NULL,
    detail        TEXT NOT NULL,
    monthly_waste REAL,
    currency      TEXT,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    cleared_at    TEXT,
    PRIMARY KEY (type, key_id, first_seen)
  ) WITHOUT ROWID;
  CREATE INDEX findings_open ON findings(cleared_at, type);

  CREATE TABLE costs (
    key_id    INTEGER NOT NULL,
    day       TEXT NOT NULL,
    monthly   REAL NOT NULL,
    currency  TEXT NOT NULL,
    estimated INTEGER NOT NULL,
    basis     TEXT NOT NULL,
    PRIMARY KEY (key_id, day)
  ) WITHOUT ROWID;

  CREATE TABLE cost_centers (
    name     TEXT NOT NULL,
    day      TEXT NOT NULL,
    monthly  REAL NOT NULL,
    currency TEXT NOT NULL,
    PRIMARY KEY (name, day, currency)
  ) WITHOUT ROWID;

  CREATE TABLE observations (
    id             INTEGER PRIMARY KEY,
    key_id         INTEGER NOT NULL,
    serves         TEXT NOT NULL,
    instance_type  TEXT,
    instance_count INTEGER,
    status         TEXT NOT NULL,
    detail         TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT,
    run            INTEGER NOT NULL
  );
  CREATE INDEX observations_key ON observations(key_id, valid_from);
  CREATE INDEX observations_open ON observations(valid_to, key_id);
  CREATE INDEX observations_time ON observations(valid_from, valid_to);
`;
