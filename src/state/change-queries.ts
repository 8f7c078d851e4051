import type { Db } from './db';
import { instantToMs } from './compact-values';
import { namesOf } from './names';
import { prepared } from './prepared';

/** Landed creates, updates and retirements of one run, per sink and item kind. */
export function writesByKind(db: Db, run: number): Array<{ sink: string; kind: string; create: number; update: number; retire: number }> {
  const names = namesOf(db);
  const rows = prepared(
    db,
    `SELECT sink, kind, SUM(op = @create) AS "create", SUM(op = @update) AS "update", SUM(op = @retire) AS retire
     FROM journal_rows WHERE run = @run AND result = @ok AND op IN (@create, @update, @retire) GROUP BY sink, kind`,
  ).all({ run, ok: names.find('ok'), create: names.find('create'), update: names.find('update'), retire: names.find('retire') }) as Array<{
    sink: number;
    kind: number;
    create: number;
    update: number;
    retire: number;
  }>;
  const named = rows.map((r) => ({ sink: names.name(r.sink), kind: names.name(r.kind), create: r.create, update: r.update, retire: r.retire }));
  return named.sort((a, b) => compare(a.sink, b.sink) || compare(a.kind, b.kind));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What the sources' content did at `at` (one run's recording time), per kind:
 * new, changed, gone. Models and versions from their history rows; a
 * deployment changed when it opened a new observation interval (what it
 * serves, or what it runs on).
 */
export function inventoryChanges(db: Db, at: string): Array<{ kind: string; added: number; changed: number; gone: number }> {
  const names = namesOf(db);
  const rows = prepared(
    db,
    `SELECT kind, SUM(added) AS added, SUM(changed) AS changed, SUM(gone) AS gone FROM (
       SELECT i.kind AS kind, h.event = 'seen' AND i.first_seen = h.at AS added, h.event = 'seen' AND i.first_seen < h.at AS changed, h.event = 'gone' AS gone
       FROM item_history h JOIN items i ON i.id = h.key_id WHERE h.at = @ms
       UNION ALL
       SELECT @deployment, i.first_seen = @ms, i.first_seen < @ms, 0 FROM observations o JOIN items i ON i.id = o.key_id WHERE o.valid_from = @at)
     GROUP BY kind`,
  ).all({ at, ms: instantToMs(at), deployment: names.find('deployment') }) as Array<{ kind: number; added: number; changed: number; gone: number }>;
  return rows.map((r) => ({ ...r, kind: names.name(r.kind) })).sort((a, b) => compare(a.kind, b.kind));
}

/** Open findings per type and severity, with what they waste a month (per currency). */
export function openFindingTotals(db: Db): Array<{ type: string; severity: string; count: number; monthlyWaste: number; currency?: string }> {
  const rows = prepared(
    db,
    `SELECT type, severity, currency, COUNT(*) AS count, COALESCE(SUM(monthly_waste), 0) AS waste
     FROM findings WHERE cleared_at IS NULL GROUP BY type, severity, currency ORDER BY type, severity, currency`,
  ).all() as Array<{ type: string; severity: string; currency: string | null; count: number; waste: number }>;
  return rows.map((r) => ({ type: r.type, severity: r.severity, count: r.count, monthlyWaste: Math.round(r.waste * 100) / 100, ...(r.currency ? { currency: r.currency } : {}) }));
}

/** The summary the latest earlier run that recorded one stored (a failed or blocked run records none). */
export function previousChange<T>(db: Db, seq: number): T | undefined {
  const rows = prepared(db, `SELECT summary FROM runs WHERE seq < ? AND command = 'sync' AND summary IS NOT NULL ORDER BY seq DESC LIMIT 20`).all(seq) as Array<{ summary: string }>;
  for (const r of rows) {
    const change = (JSON.parse(r.summary) as { change?: T }).change;
    if (change) return change;
  }
  return undefined;
}
