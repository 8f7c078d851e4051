import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb } from '../../src/state/db';
import { KeyIds } from '../../src/state/keys';

describe('state: item keys', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'masync-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stored ahead, a key keeps its row and id through a batch transaction that rolls back', () => {
    const db = openDb(path.join(dir, 'state.db'));
    const keys = new KeyIds(db);
    keys.storeAll(['mlflow://a/models/m', 'mlflow://a/models/m/versions/1']);
    let id = -1;
    expect(() =>
      db.transaction(() => {
        id = keys.idOf('mlflow://a/models/m/versions/1');
        throw new Error('disk full');
      })(),
    ).toThrow('disk full');
    const reread = new KeyIds(db);
    expect(reread.find('mlflow://a/models/m/versions/1')).toBe(id);
    expect(reread.keyOf(id)).toBe('mlflow://a/models/m/versions/1');
    db.close();
  });

  it('refuses to store ahead inside another transaction, where a rollback would take the keys with it', () => {
    const db = openDb(path.join(dir, 'state.db'));
    const keys = new KeyIds(db);
    expect(() => db.transaction(() => keys.storeAll(['k']))()).toThrow(/transaction of their own/);
    db.close();
  });

  it('read back, every key names its id and every id its key', () => {
    const db = openDb(path.join(dir, 'state.db'));
    const stored = Array.from({ length: 500 }, (_, i) => `mlflow://a/models/m${i % 7}/versions/${i}`).concat(['wandb://é/ü/“x”', 'k']);
    const first = new KeyIds(db);
    first.storeAll(stored);
    const reread = new KeyIds(db);
    for (const key of stored) {
      expect(reread.find(key)).toBe(first.find(key));
      expect(reread.keyOf(first.find(key) as number)).toBe(key);
    }
    expect(() => reread.keyOf(10_000)).toThrow('state: no key with id 10000');
    // A new key gets an id no stored key has.
    expect(reread.idOf('mlflow://a/models/new')).toBe(stored.length + 1);
    db.close();
  });

  it('refuses a file in which two keys share an id', () => {
    const db = openDb(path.join(dir, 'state.db'));
    new KeyIds(db).storeAll(['a', 'b']);
    db.prepare('INSERT INTO keys (key, id) VALUES (?, ?)').run('c', 1);
    expect(() => new KeyIds(db)).toThrow(/key id 1 names both/);
    db.close();
  });
});
