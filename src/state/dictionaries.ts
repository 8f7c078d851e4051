import { digest } from '../inventory/hash';
import { registerDictionary, type Dictionary } from './codec';
import type { Db } from './db';
import { prepared } from './prepared';

/** What a dictionary is trained on: rows of one shape compress best against their own kind. */
export type Family = 'applied' | 'item' | 'cache';

const SIZE = 4096;
const MAX_SAMPLE = 1024;
const MIN_SAMPLES = 16;

const current = new WeakMap<Db, Map<Family, Dictionary | null>>();

/** Make every dictionary of this state file known to the codec (once, when it is opened). */
export function loadDictionaries(db: Db): void {
  const byFamily = new Map<Family, Dictionary | null>();
  const rows = db.prepare('SELECT id, family, bytes FROM codec_dictionaries ORDER BY rowid').all() as Array<{ id: Buffer; family: Family; bytes: Buffer }>;
  for (const r of rows) {
    const d = { id: r.id, bytes: r.bytes };
    registerDictionary(d);
    byFamily.set(r.family, d);
  }
  current.set(db, byFamily);
}

/** The dictionary new values of this family are packed with, if one was trained. */
export function dictionaryFor(db: Db, family: Family): Dictionary | undefined {
  return current.get(db)?.get(family) ?? undefined;
}

/**
 * Train this family's dictionary from sample values (JSON texts of rows about
 * to be written), unless it has one. Values that recur across rows of one
 * state file (a host name, a bucket, field names and their usual values) are
 * then stored once, in the dictionary, instead of in every row. A dictionary
 * is committed on its own before any row uses it: a row must never name one
 * that a rolled-back transaction took away. So inside a transaction, nothing
 * is trained (the built-in dictionary serves until the next run).
 */
export function trainDictionary(db: Db, family: Family, samples: readonly string[]): void {
  if (dictionaryFor(db, family) || db.inTransaction) return;
  const picked: string[] = [];
  let size = 0;
  const usable = samples.filter((s) => s.length <= MAX_SAMPLE);
  if (usable.length < MIN_SAMPLES) return;
  // Spread over the samples, so the dictionary is not one model's versions; the last bytes weigh most in deflate.
  const step = Math.max(1, Math.floor(usable.length / 64));
  for (let i = usable.length - 1; i >= 0 && size < SIZE; i -= step) {
    picked.push(usable[i] as string);
    size += (usable[i] as string).length;
  }
  const bytes = Buffer.from(picked.reverse().join(''), 'utf8');
  const trimmed = bytes.length > SIZE ? bytes.subarray(bytes.length - SIZE) : bytes;
  const d: Dictionary = { id: digest(trimmed).subarray(0, 4), bytes: Buffer.from(trimmed) };
  db.transaction(() => {
    prepared(db, 'INSERT OR IGNORE INTO codec_dictionaries (id, family, bytes) VALUES (?, ?, ?)').run(d.id, family, d.bytes);
  })();
  registerDictionary(d);
  let byFamily = current.get(db);
  if (!byFamily) current.set(db, (byFamily = new Map()));
  byFamily.set(family, d);
}
