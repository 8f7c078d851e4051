import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { InventoryItem } from '../../src/inventory';
import { deploymentsServing, intervalsAt } from '../../src/state/audit-queries';
import { openDb } from '../../src/state/db';
import { itemAsOf, itemHistory, recordItemHistory } from '../../src/state/item-history';
import { markGone, readItem, recordItems } from '../../src/state/items';
import { KeyIds } from '../../src/state/keys';
import { pack, unpack } from '../../src/state/codec';
import { MIGRATIONS } from '../../src/state/migrations';
import { recordObservations } from '../../src/state/observations';
import { deployment } from '../support/deployments';
import { modelItem, versionItem } from '../support/items';

const fraud = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud');
const v3 = (stage: string, extra = {}) => versionItem(fraud, '3', { stage, metrics: { auc: 0.9 }, ...extra });
const file = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'masync-hist-')), 's.db');

function record(db: ReturnType<typeof openDb>, keys: KeyIds, items: InventoryItem[], at: string) {
  return recordItems(db, keys, items, at);
}

describe('item history: what an item was, when', () => {
  it('keeps a row only when registry content changes, not when usage, cost or findings move', () => {
    const db = openDb(file());
    const keys = new KeyIds(db);
    record(db, keys, [fraud, v3('Staging')], '2026-09-01T00:00:00.000Z');
    const costed = v3('Staging', { cost: { monthly: 10, currency: 'USD', estimated: true, basis: 'x' }, findings: [{ type: 'stale', severity: 'low', detail: 'd' }] });
    record(db, keys, [fraud, costed], '2026-09-02T00:00:00.000Z');
    record(db, keys, [fraud, v3('Production', { cost: costed.cost })], '2026-09-03T00:00:00.000Z');
    const rows = itemHistory(db, keys, v3('').key);
    expect(rows.map((r) => [r.at.slice(0, 10), r.event, r.data?.stage])).toEqual([
      ['2026-09-01', 'seen', 'Staging'],
      ['2026-09-03', 'seen', 'Production'],
    ]);
    expect(rows[1]?.data).not.toHaveProperty('cost');
    expect(itemHistory(db, keys, fraud.key)).toHaveLength(1);
    expect(recordItemHistory(db, '2026-09-01T00:00:00.000Z')).toEqual({ added: 2, changed: 0 });
    expect(recordItemHistory(db, '2026-09-02T00:00:00.000Z')).toEqual({ added: 0, changed: 0 });
    expect(recordItemHistory(db, '2026-09-03T00:00:00.000Z')).toEqual({ added: 0, changed: 1 });
    // The content is kept once, in the history; the item row holds only what moves daily, and reads back whole.
    const row = db.prepare('SELECT data FROM items WHERE id = ?').get(keys.find(v3('').key)) as { data: Buffer };
    expect(Object.keys(unpack(row.data) as object)).toEqual(['cost']);
    expect(readItem(db, keys, v3('').key)).toMatchObject({ stage: 'Production', metrics: { auc: 0.9 }, cost: costed.cost, version: '3' });
    // A deployment's past is its observation intervals: no content rows of its own.
    record(db, keys, [deployment('fraud-scoring')], '2026-09-04T00:00:00.000Z');
    expect(itemHistory(db, keys, deployment('fraud-scoring').key)).toEqual([]);
  });

  it('answers as of an instant, and knows when the item had left its source and came back', () => {
    const db = openDb(file());
    const keys = new KeyIds(db);
    record(db, keys, [fraud, v3('Staging')], '2026-09-01T00:00:00.000Z');
    record(db, keys, [fraud, v3('Production')], '2026-09-10T00:00:00.000Z');
    markGone(db, keys, ['mlflow'], new Set([fraud.key]), () => true, '2026-09-20T00:00:00.000Z');
    record(db, keys, [fraud, v3('Production')], '2026-09-25T00:00:00.000Z');
    const at = (iso: string) => itemAsOf(db, keys, v3('').key, iso);
    expect(at('2026-08-31T00:00:00.000Z')).toBeUndefined();
    expect(at('2026-09-01T00:00:00.000Z')).toMatchObject({ since: '2026-09-01T00:00:00.000Z', gone: false, data: { stage: 'Staging' } });
    expect(at('2026-09-09T23:59:59.999Z')?.data.stage).toBe('Staging');
    expect(at('2026-09-10T00:00:00.000Z')?.data.stage).toBe('Production');
    expect(at('2026-09-21T00:00:00.000Z')).toMatchObject({ gone: true, data: { stage: 'Production' } });
    expect(at('2026-09-26T00:00:00.000Z')?.gone).toBe(false);
    expect(itemHistory(db, keys, v3('').key).map((r) => r.event)).toEqual(['seen', 'seen', 'gone', 'back']);
  });

  it('a state file from before item history starts each item’s history as it was recorded', () => {
    const f = file();
    const old = new Database(f);
    for (const m of MIGRATIONS.filter((x) => x.version <= 3)) {
      old.exec(m.sql);
      m.up?.(old);
    }
    old.pragma('user_version = 3');
    const oldKeys = new KeyIds(old);
    // As masync wrote items then: each row with its whole content.
    const put = old.prepare('INSERT INTO items (id, kind, source, name, hash, data, first_seen, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const item of [fraud, v3('Production')]) {
      const { key, kind, source, name, observedAt: _o, ...data } = item;
      put.run(oldKeys.idOf(key), kind, source, name, Buffer.alloc(16), pack(data), '2026-05-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z');
    }
    markGone(old, oldKeys, ['mlflow'], new Set([fraud.key]), () => true, '2026-06-01T00:00:00.000Z');
    recordObservations(old, oldKeys, [{ key: 'ep', serves: [v3('').key], status: 'InService', detail: {} }], () => true, 1, '2026-05-01T00:00:00.000Z');
    old.close();
    const db = openDb(f);
    const keys = new KeyIds(db);
    expect(itemHistory(db, keys, v3('').key).map((r) => [r.at, r.event, r.data?.stage])).toEqual([
      ['2026-05-01T00:00:00.000Z', 'seen', 'Production'],
      ['2026-06-01T00:00:00.000Z', 'gone', undefined],
    ]);
    // Intervals recorded before are indexed by what they served, and by deployment.
    expect(deploymentsServing(db, [keys.find(v3('').key) as number])).toEqual([keys.find('ep')]);
    expect(intervalsAt(db, keys, '2026-05-02T00:00:00.000Z').map((i) => i.key)).toEqual(['ep']);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.version);
  });
});
