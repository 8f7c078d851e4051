import type { Db } from './db';
import { prepared } from './prepared';

/** Where a connector's incremental reads start, and when it was last read in full. */
export interface ReadCursor {
  /** The newest change the last read saw (ISO, the sink's own clock). */
  cursor?: string;
  fullAt?: string;
}

export function readCursor(db: Db, connector: string): ReadCursor {
  const r = prepared(db, 'SELECT cursor, full_at FROM read_cursors WHERE connector = ?').get(connector) as { cursor: string | null; full_at: string | null } | undefined;
  return { cursor: r?.cursor ?? undefined, fullAt: r?.full_at ?? undefined };
}

export function saveCursor(db: Db, connector: string, c: ReadCursor): void {
  prepared(db, 'INSERT OR REPLACE INTO read_cursors (connector, cursor, full_at) VALUES (?, ?, ?)').run(connector, c.cursor ?? null, c.fullAt ?? null);
}
