import { canonicalJson } from '../inventory';
import type { Db } from './db';
import type { KeyIds } from './keys';
import { prepared } from './prepared';

/** What a deployment served, on what, as one run saw it. */
export interface Observation {
  key: string;
  /** Version keys served (every variant's), sorted. */
  serves: string[];
  instanceType?: string;
  instanceCount?: number;
  status: string;
  /** Per variant: name, instance type, count, the version it serves. */
  detail: unknown;
}

/** An interval in which a deployment served the same versions on the same hardware. */
export interface ObservedInterval extends Observation {
  validFrom: string;
  /** Absent while it still holds. */
  validTo?: string;
}

/**
 * "What ran where, when": per deployment, an interval stays open across runs
 * that see the same served versions and hardware, and closes (a new one
 * opening) when either changes, or when the deployment is gone. A deployment
 * whose source could not be read this run keeps its interval open.
 */
export function recordObservations(db: Db, keys: KeyIds, seen: readonly Observation[], mayClose: (key: string) => boolean, run: number, at: string): { opened: number; closed: number } {
  const open = new Map<number, { id: number; sig: string }>();
  for (const r of prepared(db, 'SELECT id, key_id, serves, instance_type, instance_count, detail FROM observations WHERE valid_to IS NULL').iterate() as Iterable<Record<string, string | number | null>>) {
    open.set(r.key_id as number, { id: r.id as number, sig: signature(JSON.parse(r.serves as string) as string[], r.instance_type as string | null, r.instance_count as number | null, JSON.parse(r.detail as string)) });
  }
  const close = prepared(db, 'UPDATE observations SET valid_to = ? WHERE id = ?');
  const insert = prepared(db, 'INSERT INTO observations (key_id, serves, instance_type, instance_count, status, detail, valid_from, valid_to, run) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)');
  let opened = 0;
  let closed = 0;
  db.transaction(() => {
    const present = new Set<number>();
    for (const o of seen) {
      const id = keys.idOf(o.key);
      present.add(id);
      const prior = open.get(id);
      if (prior?.sig === signature(o.serves, o.instanceType ?? null, o.instanceCount ?? null, o.detail)) continue;
      if (prior) {
        close.run(at, prior.id);
        closed++;
      }
      insert.run(id, JSON.stringify(o.serves), o.instanceType ?? null, o.instanceCount ?? null, o.status, canonicalJson(o.detail), at, run);
      opened++;
    }
    for (const [id, prior] of open) {
      if (present.has(id) || !mayClose(keys.keyOf(id))) continue;
      close.run(at, prior.id);
      closed++;
    }
  })();
  return { opened, closed };
}

function signature(serves: string[], type: string | null, count: number | null, detail: unknown): string {
  return canonicalJson([serves, type, count, detail]);
}
