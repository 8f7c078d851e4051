import type { Finding } from '../inventory';
import type { Db } from './db';
import type { KeyIds } from './keys';
import { prepared } from './prepared';

export interface StoredFinding {
  type: string;
  key: string;
  severity: Finding['severity'];
  detail: string;
  monthlyWaste?: number;
  currency?: string;
  firstSeen: string;
  lastSeen: string;
  clearedAt?: string;
}

/** A finding raised this run, on one item. */
export interface RaisedFinding {
  key: string;
  finding: Finding;
  currency?: string;
}

/** When each open finding was first seen, by `type \0 key`: what `firstSeen` on an item says. */
export function openFirstSeen(db: Db, keys: KeyIds): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of prepared(db, 'SELECT type, key_id, first_seen FROM findings WHERE cleared_at IS NULL').iterate() as Iterable<{ type: string; key_id: number; first_seen: string }>) {
    out.set(`${r.type}\u0000${keys.keyOf(r.key_id)}`, r.first_seen);
  }
  return out;
}

/**
 * Record this run's findings: new ones open, open ones move `last_seen` (and
 * their detail and waste), and an open finding whose key was evaluated and
 * found clean is cleared, as is every open finding of a key `gone` from its
 * source after a good read. A key not evaluated (its source or its facts were
 * missing this run) keeps its findings as they were.
 */
export function recordFindings(
  db: Db,
  keys: KeyIds,
  raised: readonly RaisedFinding[],
  evaluated: ReadonlyMap<string, ReadonlySet<string>>,
  at: string,
  gone: ReadonlySet<string> = new Set(),
): { raised: number; cleared: number } {
  const open = new Map<string, string>();
  for (const r of prepared(db, 'SELECT type, key_id, first_seen FROM findings WHERE cleared_at IS NULL').iterate() as Iterable<{ type: string; key_id: number; first_seen: string }>) {
    open.set(`${r.type}\u0000${r.key_id}`, r.first_seen);
  }
  const insert = prepared(
    db,
    `INSERT INTO findings (type, key_id, severity, detail, monthly_waste, currency, first_seen, last_seen, cleared_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const touch = prepared(db, 'UPDATE findings SET severity = ?, detail = ?, monthly_waste = ?, currency = ?, last_seen = ? WHERE type = ? AND key_id = ? AND first_seen = ?');
  const clear = prepared(db, 'UPDATE findings SET cleared_at = ? WHERE type = ? AND key_id = ? AND first_seen = ?');
  let newCount = 0;
  let cleared = 0;
  db.transaction(() => {
    const still = new Set<string>();
    for (const r of raised) {
      const id = keys.idOf(r.key);
      const k = `${r.finding.type}\u0000${id}`;
      still.add(k);
      const first = open.get(k);
      const waste = r.finding.monthlyWaste ?? null;
      if (first) touch.run(r.finding.severity, r.finding.detail, waste, r.currency ?? null, at, r.finding.type, id, first);
      else {
        insert.run(r.finding.type, id, r.finding.severity, r.finding.detail, waste, r.currency ?? null, at, at);
        newCount++;
      }
    }
    for (const [k, first] of open) {
      if (still.has(k)) continue;
      const [type, idText] = k.split('\u0000') as [string, string];
      const id = Number(idText);
      const key = keys.keyOf(id);
      if (!evaluated.get(type)?.has(key) && !gone.has(key)) continue;
      clear.run(at, type, id, first);
      cleared++;
    }
  })();
  return { raised: newCount, cleared };
}

/** Open findings (or every finding with `all`), newest first. */
export function listFindings(db: Db, keys: KeyIds, opts: { type?: string; all?: boolean } = {}): StoredFinding[] {
  const where = [opts.all ? '1' : 'cleared_at IS NULL', opts.type ? 'type = @type' : '1'].join(' AND ');
  const rows = prepared(db, `SELECT * FROM findings WHERE ${where} ORDER BY first_seen DESC, type, key_id`).all(opts.type ? { type: opts.type } : {}) as Array<Record<string, string | number | null>>;
  return rows.map((r) => toFinding(r, keys));
}

/** Every finding of one key, oldest first, for `masync history`. */
export function findingsOf(db: Db, keys: KeyIds, key: string): StoredFinding[] {
  const id = keys.find(key);
  if (id === undefined) return [];
  return (prepared(db, 'SELECT * FROM findings WHERE key_id = ? ORDER BY first_seen').all(id) as Array<Record<string, string | number | null>>).map((r) => toFinding(r, keys));
}

function toFinding(r: Record<string, string | number | null>, keys: KeyIds): StoredFinding {
  return {
    type: r.type as string,
    key: keys.keyOf(r.key_id as number),
    severity: r.severity as Finding['severity'],
    detail: r.detail as string,
    ...(r.monthly_waste !== null ? { monthlyWaste: r.monthly_waste as number } : {}),
    ...(r.currency !== null ? { currency: r.currency as string } : {}),
    firstSeen: r.first_seen as string,
    lastSeen: r.last_seen as string,
    ...(r.cleared_at !== null ? { clearedAt: r.cleared_at as string } : {}),
  };
}
