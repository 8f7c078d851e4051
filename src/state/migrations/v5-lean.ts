import type { Db } from '../db';
import { matchHash } from '../applied';
import { historyRow, VOLATILE } from '../item-history';
import { pack, unpack } from '../codec';

/**
 * Version 5: state that stays under 100 MB at 100,000 versions, and a no-op
 * run that reads back only hashes.
 * - `codec_dictionaries`: dictionaries trained from this file's own rows
 *   (src/state/dictionaries.ts), which pack rows to about a third.
 * - `links.match_hash`: the hash of the non-empty values masync last wrote or
 *   confirmed, which a record read back from the sink is compared with, so a
 *   record the sink still holds as masync left it needs no field-by-field look.
 * - `journal.labels`: what the reference values of a create name ("alice"),
 *   apart from its payload, which is then exactly the values it wrote.
 * A model's or version's registry content is kept once, in its history;
 * `items.data` keeps what moves every day (usage, cost, findings).
 */
export const V5_SQL = `
  CREATE TABLE codec_dictionaries (
    id     BLOB PRIMARY KEY,
    family TEXT NOT NULL,
    bytes  BLOB NOT NULL
  );
  ALTER TABLE links ADD COLUMN match_hash BLOB;
  ALTER TABLE journal ADD COLUMN labels BLOB;
`;

const CHUNK = 2000;

/** Backfill the links' match hashes and slim the items whose content their history holds; in chunks (see v2Copy). */
export function v5Backfill(db: Db): void {
  const links = db.prepare('SELECT sink, id, applied FROM links WHERE (sink, id) > (?, ?) ORDER BY sink, id LIMIT ?');
  const setMatch = db.prepare('UPDATE links SET match_hash = ? WHERE sink = ? AND id = ?');
  for (let after: [string, number] = ['', 0]; ; ) {
    const rows = links.all(after[0], after[1], CHUNK) as Array<{ sink: string; id: number; applied: Buffer | string }>;
    if (rows.length === 0) break;
    for (const r of rows) setMatch.run(matchHash(unpack<Record<string, string>>(r.applied)), r.sink, r.id);
    const last = rows[rows.length - 1] as { sink: string; id: number };
    after = [last.sink, last.id];
  }

  const items = db.prepare(`SELECT id, data FROM items WHERE id > ? AND kind != 'deployment' ORDER BY id LIMIT ?`);
  const head = db.prepare(`SELECT hash FROM item_history WHERE key_id = ? AND event = 'seen' ORDER BY at DESC LIMIT 1`);
  const slim = db.prepare('UPDATE items SET data = ? WHERE id = ?');
  for (let after = 0; ; ) {
    const rows = items.all(after, CHUNK) as Array<{ id: number; data: Buffer | string }>;
    if (rows.length === 0) break;
    for (const r of rows) {
      const h = head.get(r.id) as { hash: Buffer } | undefined;
      // Only where the history holds exactly this content: otherwise the item keeps its own copy.
      if (!h || !h.hash.equals(historyRow(r.data).hash)) continue;
      const data = unpack<Record<string, unknown>>(r.data);
      const volatile: Record<string, unknown> = {};
      for (const k of VOLATILE) if (k in data) volatile[k] = data[k];
      slim.run(pack(volatile), r.id);
    }
    after = (rows[rows.length - 1] as { id: number }).id;
  }
}
