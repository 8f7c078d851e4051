import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { openDb } from '../../src/state/db';
import { listFindings, openFirstSeen, recordFindings, type RaisedFinding } from '../../src/state/findings';
import { KeyIds } from '../../src/state/keys';
import { intervalsAt, intervalsBetween } from '../../src/state/audit-queries';
import { recordObservations, type Observation } from '../../src/state/observations';

function state() {
  const db = openDb(path.join(mkdtempSync(path.join(os.tmpdir(), 'masync-gov-')), 's.db'));
  return { db, keys: new KeyIds(db) };
}

const zombie = (key: string, waste: number): RaisedFinding => ({ key, currency: 'USD', finding: { type: 'zombie', severity: 'high', detail: `idle; $${waste}/month`, monthlyWaste: waste } });

describe('findings over runs', () => {
  it('keeps first seen across runs, clears a finding only when its key was judged clean, reopens it later', () => {
    const { db, keys } = state();
    const judged = (keysSeen: string[]) => new Map([['zombie', new Set(keysSeen)]]);
    recordFindings(db, keys, [zombie('ep-a', 10), zombie('ep-b', 20)], judged(['ep-a', 'ep-b']), '2026-11-01T00:00:00Z');
    recordFindings(db, keys, [zombie('ep-a', 12)], judged(['ep-a']), '2026-11-02T00:00:00Z');
    // ep-b was not judged on the 2nd (its usage unknown): still open, first seen unchanged.
    expect(openFirstSeen(db, keys)).toEqual(new Map([['zombie\u0000ep-a', '2026-11-01T00:00:00Z'], ['zombie\u0000ep-b', '2026-11-01T00:00:00Z']]));
    expect(listFindings(db, keys).find((f) => f.key === 'ep-a')).toMatchObject({ monthlyWaste: 12, lastSeen: '2026-11-02T00:00:00Z' });
    recordFindings(db, keys, [], judged(['ep-a', 'ep-b']), '2026-11-03T00:00:00Z');
    expect(listFindings(db, keys)).toEqual([]);
    expect(listFindings(db, keys, { all: true }).map((f) => [f.key, f.clearedAt])).toEqual([
      ['ep-a', '2026-11-03T00:00:00Z'],
      ['ep-b', '2026-11-03T00:00:00Z'],
    ]);
    recordFindings(db, keys, [zombie('ep-a', 9)], judged(['ep-a']), '2026-11-04T00:00:00Z');
    expect(listFindings(db, keys).map((f) => [f.key, f.firstSeen])).toEqual([['ep-a', '2026-11-04T00:00:00Z']]);
  });

  it('clears every open finding of a key gone from its source, though no policy judged it', () => {
    const { db, keys } = state();
    recordFindings(db, keys, [zombie('ep-a', 10), zombie('ep-b', 20)], new Map([['zombie', new Set(['ep-a', 'ep-b'])]]), '2026-11-01T00:00:00Z');
    recordFindings(db, keys, [], new Map([['zombie', new Set()]]), '2026-11-02T00:00:00Z', new Set(['ep-b']));
    expect(listFindings(db, keys).map((f) => f.key)).toEqual(['ep-a']);
    expect(listFindings(db, keys, { all: true }).find((f) => f.key === 'ep-b')?.clearedAt).toBe('2026-11-02T00:00:00Z');
  });
});

describe('observation intervals: what ran where, when', () => {
  const seen = (serves: string[], count = 1): Observation => ({ key: 'ep', serves, instanceType: 'ml.m5.large', instanceCount: count, status: 'InService', detail: { variants: [] } });

  it('stays open across unchanged runs and closes when the served version or the hardware changes', () => {
    const { db, keys } = state();
    const may = () => true;
    recordObservations(db, keys, [seen(['v1'])], may, 1, '2026-09-01T00:00:00Z');
    recordObservations(db, keys, [seen(['v1'])], may, 2, '2026-09-15T00:00:00Z');
    recordObservations(db, keys, [seen(['v2'])], may, 3, '2026-10-01T00:00:00Z');
    recordObservations(db, keys, [seen(['v2'], 3)], may, 4, '2026-10-10T00:00:00Z');
    expect(intervalsBetween(db, keys, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z').map((o) => [o.serves, o.instanceCount, o.validFrom, o.validTo])).toEqual([
      [['v1'], 1, '2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z'],
      [['v2'], 1, '2026-10-01T00:00:00Z', '2026-10-10T00:00:00Z'],
      [['v2'], 3, '2026-10-10T00:00:00Z', undefined],
    ]);
    // Inside, at both edges of, and outside an interval.
    expect(intervalsAt(db, keys, '2026-09-30T12:00:00Z').map((o) => o.serves)).toEqual([['v1']]);
    expect(intervalsAt(db, keys, '2026-10-01T00:00:00Z').map((o) => o.serves)).toEqual([['v2']]);
    expect(intervalsAt(db, keys, '2026-09-01T00:00:00Z').map((o) => o.serves)).toEqual([['v1']]);
    expect(intervalsAt(db, keys, '2026-08-31T23:59:59Z')).toEqual([]);
  });

  it('closes when the deployment is gone, but not when its source could not be read', () => {
    const { db, keys } = state();
    recordObservations(db, keys, [seen(['v1'])], () => true, 1, '2026-09-01T00:00:00Z');
    recordObservations(db, keys, [], () => false, 2, '2026-09-02T00:00:00Z');
    expect(intervalsAt(db, keys, '2026-09-03T00:00:00Z')).toHaveLength(1);
    recordObservations(db, keys, [], () => true, 3, '2026-09-04T00:00:00Z');
    expect(intervalsAt(db, keys, '2026-09-05T00:00:00Z')).toEqual([]);
    expect(intervalsBetween(db, keys, '2026-09-01T00:00:00Z', '2026-09-05T00:00:00Z')[0]?.validTo).toBe('2026-09-04T00:00:00Z');
  });
});
