import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openDb } from '../../src/state/db';
import { journalFor } from '../../src/state/journal';
import { KeyIds } from '../../src/state/keys';
import { loadLinks } from '../../src/state/links';
import { currentItems } from '../../src/state/items';
import { MIGRATIONS } from '../../src/state/migrations';

// More rows than one chunk of the upgrade's copy, so it must write between reads.
const VERSIONS = 2_500;

/** A state file as masync 0.1 (schema version 1) left it after one sync. */
function versionOneFile(): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'masync-upgrade-')), 'state.db');
  const db = new Database(file);
  db.exec((MIGRATIONS[0] as { sql: string }).sql);
  db.prepare("INSERT INTO runs (id, command, started_at, finished_at, status) VALUES ('r1', 'sync', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'ok')").run();
  const item = db.prepare("INSERT INTO items VALUES (?, 'model_version', 'mlflow', ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', NULL)");
  const link = db.prepare("INSERT INTO links VALUES ('cmdb', ?, 'mlflow', 'model_version', ?, ?, 'u_ml_model_version', ?, '2026-01-01T00:00:00Z', NULL)");
  const entry = db.prepare("INSERT INTO journal (run_id, sink, op, kind, key, record_id, changes, result, at) VALUES ('r1', 'cmdb', 'create', 'model_version', ?, ?, ?, 'ok', '2026-01-01T00:00:30Z')");
  db.transaction(() => {
    for (let i = 0; i < VERSIONS; i++) {
      const key = `mlflow:fraud-${i}/1`;
      const data = { key, kind: 'model_version', source: 'mlflow', name: `fraud-${i}`, version: '1', modelKey: `mlflow:fraud-${i}`, stage: 'Production', aliases: [], tags: {}, lineage: {} };
      item.run(key, `fraud-${i}`, 'ab'.repeat(32), JSON.stringify(data));
      link.run(key, `sys${i}`, key, JSON.stringify({ name: `fraud-${i} v1` }));
      entry.run(key, `sys${i}`, JSON.stringify({ name: `fraud-${i} v1` }));
    }
  })();
  db.pragma('user_version = 1');
  db.close();
  return file;
}

describe('upgrading a state file an earlier masync wrote', () => {
  it('carries every item, link and journal entry of a version-1 file into the current schema', () => {
    const db = openDb(versionOneFile());
    const keys = new KeyIds(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.version);
    const items = currentItems(db, keys);
    expect(items).toHaveLength(VERSIONS);
    expect(items.find((i) => i.key === 'mlflow:fraud-2499/1')).toMatchObject({ name: 'fraud-2499', source: 'mlflow', firstSeen: '2026-01-01T00:00:00.000Z' });
    const links = loadLinks(db, keys, 'cmdb', (k) => k);
    expect(links.size).toBe(VERSIONS);
    expect(links.get('mlflow:fraud-7/1')).toMatchObject({ recordId: 'sys7' });
    expect(journalFor(db, keys, 'mlflow:fraud-1234/1')).toEqual([expect.objectContaining({ op: 'create', recordId: 'sys1234', runId: 'r1', result: 'ok' })]);
  });
});
