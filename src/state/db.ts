import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../errors';
import { loadDictionaries } from './dictionaries';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** Open (or create) the state file in WAL mode and bring its schema up to date. */
export function openDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw new ConfigError(`${file}: cannot open state file: ${(err as Error).message}`, { file }, { cause: err });
  }
  db.pragma('journal_mode = WAL');
  // A second process (masync status during a sync) waits briefly instead of failing on a busy file.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db, file);
  loadDictionaries(db);
  return db;
}

function migrate(db: Db, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new ConfigError(`${file}: state schema version ${current} is newer than this masync understands (${latest}); upgrade masync`, { file });
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.up?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
