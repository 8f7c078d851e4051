import type { Db } from './db';
import type { KeyIds } from './keys';
import type { ObservedInterval } from './observations';
import { prepared } from './prepared';

/** An observation interval with what opened it: the run (its number) that first saw it. */
export interface AuditInterval extends ObservedInterval {
  id: number;
  keyId: number;
  run: number;
}

/**
 * Intervals holding at `at` (valid_from ≤ at < valid_to), one index probe per
 * deployment ever observed: the interval a deployment had at `at` is the last
 * one that started by then, if it had not ended. Restricted to `keyIds` when given.
 */
export function intervalsAt(db: Db, keys: KeyIds, at: string, keyIds?: readonly number[]): AuditInterval[] {
  const rows = prepared(
    db,
    `SELECT o.* FROM ${deployments(keyIds)} d JOIN observations o ON o.id = (
       SELECT id FROM observations WHERE key_id = d.key_id AND valid_from <= @at ORDER BY valid_from DESC, id DESC LIMIT 1)
     WHERE o.valid_to IS NULL OR o.valid_to > @at
     ORDER BY o.valid_from, o.id`,
  ).all({ at, ...ids(keyIds) }) as Row[];
  return rows.map((r) => toInterval(r, keys));
}

/**
 * Intervals overlapping the closed window [from, to]: per deployment, the one
 * holding at `from` and every one that started within the window, found by a
 * range over (key, valid_from). Oldest first.
 */
export function intervalsBetween(db: Db, keys: KeyIds, from: string, to: string, keyIds?: readonly number[]): AuditInterval[] {
  const rows = prepared(
    db,
    `SELECT o.* FROM ${deployments(keyIds)} d JOIN observations o ON o.key_id = d.key_id
       AND o.valid_from >= COALESCE((SELECT MAX(valid_from) FROM observations WHERE key_id = d.key_id AND valid_from <= @from), '')
       AND o.valid_from <= @to
     WHERE o.valid_to IS NULL OR o.valid_to > @from
     ORDER BY o.valid_from, o.id`,
  ).all({ from, to, ...ids(keyIds) }) as Row[];
  return rows.map((r) => toInterval(r, keys));
}

/** Every interval of these deployments, oldest first. */
export function intervalsOf(db: Db, keys: KeyIds, keyIds: readonly number[]): AuditInterval[] {
  const stmt = prepared(db, 'SELECT * FROM observations WHERE key_id = ? ORDER BY valid_from, id');
  return keyIds.flatMap((id) => (stmt.all(id) as Row[]).map((r) => toInterval(r, keys)));
}

/** Deployments that served any of these versions at some time. */
export function deploymentsServing(db: Db, versionIds: readonly number[]): number[] {
  const stmt = prepared(db, 'SELECT DISTINCT o.key_id AS id FROM observation_serves s JOIN observations o ON o.id = s.observation_id WHERE s.version_id = ?');
  const out = new Set<number>();
  for (const v of versionIds) for (const r of stmt.all(v) as Array<{ id: number }>) out.add(r.id);
  return [...out].sort((a, b) => a - b);
}

/** The deployment's interval that started last before this one (it ended when this one began, or earlier: a gap). */
export function intervalBefore(db: Db, keys: KeyIds, interval: AuditInterval): AuditInterval | undefined {
  const r = prepared(db, 'SELECT * FROM observations WHERE key_id = ? AND valid_from < ? ORDER BY valid_from DESC, id DESC LIMIT 1').get(interval.keyId, interval.validFrom) as Row | undefined;
  return r && toInterval(r, keys);
}

/** A run by its number, and the run before it: the change it saw happened between the two. */
export function runAndPrevious(db: Db, seq: number): { run?: { id: string; startedAt: string }; previous?: { id: string; startedAt: string } } {
  const run = prepared(db, 'SELECT id, started_at AS startedAt FROM runs WHERE seq = ?').get(seq) as { id: string; startedAt: string } | undefined;
  const previous = prepared(db, `SELECT id, started_at AS startedAt FROM runs WHERE seq < ? AND command = 'sync' ORDER BY seq DESC LIMIT 1`).get(seq) as { id: string; startedAt: string } | undefined;
  return { ...(run ? { run } : {}), ...(previous ? { previous } : {}) };
}

/** When the last finished sync ended: what state can vouch for stops there. */
export function lastRecordedAt(db: Db): string | undefined {
  const r = prepared(db, `SELECT MAX(finished_at) AS at FROM runs WHERE command = 'sync' AND finished_at IS NOT NULL`).get() as { at: string | null };
  return r.at ?? undefined;
}

/** The oldest observation state holds: before it, nothing is known. */
export function firstObservedAt(db: Db): string | undefined {
  const r = prepared(db, 'SELECT MIN(valid_from) AS at FROM observations').get() as { at: string | null };
  return r.at ?? undefined;
}

type Row = Record<string, string | number | null>;

/** Every deployment ever observed, or only these (a JSON array bound as @ids). */
function deployments(keyIds: readonly number[] | undefined): string {
  return keyIds ? '(SELECT value AS key_id FROM json_each(@ids))' : 'observed_keys';
}

function ids(keyIds: readonly number[] | undefined): { ids?: string } {
  return keyIds ? { ids: JSON.stringify(keyIds) } : {};
}

function toInterval(r: Row, keys: KeyIds): AuditInterval {
  return {
    id: r.id as number,
    keyId: r.key_id as number,
    run: r.run as number,
    key: keys.keyOf(r.key_id as number),
    serves: JSON.parse(r.serves as string) as string[],
    ...(r.instance_type !== null ? { instanceType: r.instance_type as string } : {}),
    ...(r.instance_count !== null ? { instanceCount: r.instance_count as number } : {}),
    status: r.status as string,
    detail: JSON.parse(r.detail as string) as unknown,
    validFrom: r.valid_from as string,
    ...(r.valid_to !== null ? { validTo: r.valid_to as string } : {}),
  };
}
