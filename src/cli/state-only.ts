import { existsSync } from 'node:fs';
import { openDb, type Db } from '../state/db';
import { KeyIds } from '../state/keys';
import { write, type CliIO } from './io';

/**
 * Run `fn` over the state file alone, for commands that read what syncs
 * recorded (status, findings, audit, history, report): no connector is
 * built, so no secret is needed, and a missing state file is not created.
 */
export function withState(statePath: string, io: CliIO, empty: string | Record<string, unknown>, fn: (db: Db, keys: KeyIds) => void): void {
  if (!existsSync(statePath)) {
    write(io.stdout, typeof empty === 'string' ? empty : JSON.stringify(empty));
    return;
  }
  const db = openDb(statePath);
  try {
    fn(db, new KeyIds(db));
  } finally {
    db.close();
  }
}
