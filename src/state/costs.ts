import type { Cost } from '../inventory';
import type { Db } from './db';
import type { KeyIds } from './keys';
import { namesOf } from './names';
import { prepared } from './prepared';

/** Each item's monthly cost as this run saw it, one row per key and day: the history reports chart. */
export function recordCosts(db: Db, keys: KeyIds, costs: ReadonlyArray<{ key: string; cost: Cost }>, centers: ReadonlyArray<{ name: string; monthly: number; currency: string }>, day: string): void {
  const item = prepared(db, 'INSERT OR REPLACE INTO costs (key_id, day, monthly, currency, estimated, basis) VALUES (?, ?, ?, ?, ?, ?)');
  const center = prepared(db, 'INSERT OR REPLACE INTO cost_centers (name, day, monthly, currency) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const { key, cost } of costs) item.run(keys.idOf(key), day, cost.monthly, cost.currency, cost.estimated ? 1 : 0, cost.basis);
    for (const c of centers) center.run(c.name, day, c.monthly, c.currency);
  })();
}

/** Monthly cost per cost center on the latest day recorded (and the day before it, for the change summary). */
export function costCenterTotals(db: Db): Array<{ name: string; day: string; monthly: number; currency: string }> {
  return prepared(db, 'SELECT name, day, monthly, currency FROM cost_centers WHERE day = (SELECT MAX(day) FROM cost_centers) ORDER BY monthly DESC').all() as Array<{
    name: string;
    day: string;
    monthly: number;
    currency: string;
  }>;
}

/** What the deployments cost a month, summed per day recorded and currency, over the last `days` days recorded: the report's trend. */
export function costTrend(db: Db, days = 90): Array<{ day: string; monthly: number; currency: string; estimated: boolean }> {
  const rows = prepared(
    db,
    `SELECT c.day AS day, c.currency AS currency, SUM(c.monthly) AS monthly, MAX(c.estimated) AS estimated
     FROM costs c JOIN items i ON i.id = c.key_id
     WHERE i.kind = ? AND c.day >= (SELECT date(MAX(day), ?) FROM costs)
     GROUP BY c.day, c.currency ORDER BY c.day, c.currency`,
  ).all(namesOf(db).find('deployment'), `-${days - 1} days`) as Array<{ day: string; monthly: number; currency: string; estimated: number }>;
  return rows.map((r) => ({ day: r.day, monthly: Math.round(r.monthly * 100) / 100, currency: r.currency, estimated: r.estimated === 1 }));
}
