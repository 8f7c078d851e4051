import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { itemDigest } from '../../src/inventory';
import { openDb, type Db } from '../../src/state/db';
import { markGone, recordItems } from '../../src/state/items';
import { KeyIds } from '../../src/state/keys';
import { modelItem, versionItem } from '../support/items';

const fraud = modelItem('mlflow://m/models/fraud', 'mlflow', 'fraud');
const version = (n: number, stage = 'Staging') => versionItem(fraud, String(n), { stage });
const DAY = (d: number) => `2026-10-${String(d).padStart(2, '0')}T00:00:00.000Z`;

describe('state: recording items', () => {
  let dir: string;
  let db: Db;
  let keys: KeyIds;
  const row = (key: string) =>
    db.prepare('SELECT hash, changed_at AS changedAt, gone_at AS goneAt FROM items WHERE id = ?').get(keys.find(key)) as { hash: Buffer; changedAt: number; goneAt: string | null };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'masync-items-'));
    db = openDb(path.join(dir, 'state.db'));
    keys = new KeyIds(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rewrites an item only when its content changed, and counts what it wrote', () => {
    const items = [fraud, version(1), version(2)];
    expect(recordItems(db, keys, items, DAY(1))).toEqual({ added: 3, changed: 0 });
    expect(row(version(2).key).hash).toEqual(itemDigest(version(2)).subarray(0, 16));
    // Same content, read again by a later run (new objects, new key ids map): nothing is written.
    expect(recordItems(db, new KeyIds(db), [fraud, version(1), version(2)], DAY(2))).toEqual({ added: 0, changed: 0 });
    expect(row(version(1).key).changedAt).toBe(Date.parse(DAY(1)));
    expect(recordItems(db, keys, [fraud, version(1), version(2, 'Production'), version(3)], DAY(3))).toEqual({ added: 1, changed: 1 });
    expect(row(version(2).key)).toMatchObject({ hash: itemDigest(version(2, 'Production')).subarray(0, 16), changedAt: Date.parse(DAY(3)) });
    expect(row(version(1).key).changedAt).toBe(Date.parse(DAY(1)));
  });

  it('an item gone from its source and back unchanged is present again, not added or changed', () => {
    recordItems(db, keys, [fraud, version(1)], DAY(1));
    expect(markGone(db, keys, ['mlflow'], new Set([fraud.key]), () => true, DAY(2))).toEqual(new Set([version(1).key]));
    expect(row(version(1).key).goneAt).not.toBeNull();
    expect(recordItems(db, keys, [fraud, version(1)], DAY(3))).toEqual({ added: 0, changed: 0 });
    expect(row(version(1).key)).toMatchObject({ goneAt: null, changedAt: Date.parse(DAY(3)) });
    expect(row(fraud.key).changedAt).toBe(Date.parse(DAY(1)));
  });

  it('marks gone only what was not seen and may go', () => {
    recordItems(db, keys, [fraud, version(1), version(2)], DAY(1));
    const gone = markGone(db, keys, ['mlflow'], new Set([fraud.key]), (_source, key) => key !== version(2).key, DAY(2));
    expect(gone).toEqual(new Set([version(1).key]));
    expect(row(version(2).key).goneAt).toBeNull();
  });
});
