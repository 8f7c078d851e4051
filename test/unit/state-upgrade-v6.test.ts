import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import Database from 'better-sqlite3';
import { appliedHash, matchHash } from '../../src/state/applied';
import { pack } from '../../src/state/codec';
import { openDb } from '../../src/state/db';
import { itemHistory } from '../../src/state/item-history';
import { currentItems } from '../../src/state/items';
import { journalFor, pruneCreatePayloads } from '../../src/state/journal';
import { KeyIds } from '../../src/state/keys';
import { loadLinks } from '../../src/state/links';
import { MIGRATIONS } from '../../src/state/migrations';
import { loadRelations } from '../../src/state/relations';

// More versions than one chunk of the upgrade's copy, so it must write between reads.
const VERSIONS = 2_100;
const AT = '2026-03-01T10:00:00.000Z';
const sysId = (i: number) => i.toString(16).padStart(32, '0');
const modelKey = 'mlflow://reg/models/fraud';
const versionKey = (i: number) => `${modelKey}/versions/${i}`;
const valuesOf = (i: number) => ({ correlation_id: versionKey(i), name: `fraud v${i}`, owned_by: sysId(99_999), u_ml_stage: 'Production' });

/** A state file as masync wrote it at schema version 5: a model, its versions, their creates, links, relations and history. */
function versionFiveFile(): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'masync-upgrade-v6-')), 'state.db');
  const db = new Database(file);
  for (const m of MIGRATIONS.filter((x) => x.version <= 5)) {
    db.exec(m.sql);
    m.up?.(db);
  }
  db.pragma('user_version = 5');
  db.prepare(`INSERT INTO runs (id, command, started_at, finished_at, status) VALUES ('r1', 'sync', ?, ?, 'ok')`).run(AT, AT);
  const key = db.prepare('INSERT INTO keys (key, id) VALUES (?, ?)');
  const entry = db.prepare(`INSERT INTO journal (run, sink, op, kind, key_id, other_key_id, record_id, changes, labels, result, at) VALUES (1, 'cmdb', ?, 'model_version', ?, ?, ?, ?, ?, 'ok', ?)`);
  const link = db.prepare(
    `INSERT INTO links (sink, id, source, kind, record_id, identity, class, applied, applied_hash, match_hash, updated_at) VALUES ('cmdb', ?, 'mlflow', 'model_version', ?, NULL, 'u_ml_model_version', ?, ?, ?, ?)`,
  );
  const relation = db.prepare(`INSERT INTO relations (sink, type, parent_id, child_id, relation_id, created_at) VALUES ('cmdb', 'Contains::Contained by', 1, ?, ?, ?)`);
  const item = db.prepare(`INSERT INTO items (id, kind, source, name, hash, data, first_seen, changed_at) VALUES (?, 'model_version', 'mlflow', 'fraud', ?, ?, ?, ?)`);
  const history = db.prepare(`INSERT INTO item_history (key_id, at, event, hash, data) VALUES (?, ?, 'seen', ?, ?)`);
  db.transaction(() => {
    key.run(modelKey, 1);
    for (let i = 1; i <= VERSIONS; i++) {
      const id = i + 1;
      key.run(versionKey(i), id);
      const payload = pack(valuesOf(i));
      entry.run('create', id, null, sysId(i), payload, pack({ owned_by: 'alice' }), AT);
      entry.run('relate', id, 1, sysId(100_000 + i), pack({ type: 'Contains::Contained by', holder: 'child' }), null, AT);
      link.run(id, sysId(i), payload, appliedHash(valuesOf(i)), matchHash(valuesOf(i)), AT);
      relation.run(id, sysId(100_000 + i), AT);
      item.run(id, Buffer.alloc(16, i % 256), pack({}), AT, AT);
      history.run(id, AT, Buffer.alloc(16, i % 256), pack({ version: String(i), stage: 'Production' }));
    }
  })();
  db.close();
  return file;
}

describe('upgrading a version-5 state file to the compact version 6', () => {
  const file = versionFiveFile();
  const db = openDb(file);
  const keys = new KeyIds(db);

  it('reads back every journal entry, link, relation, item and history row as it was', () => {
    // Upgraded through version 6 to the latest (version 7 adds the links' basis, empty until a run maps them).
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.version);
    expect(journalFor(db, keys, versionKey(2_050))).toEqual([
      {
        runId: 'r1',
        sink: 'cmdb',
        op: 'create',
        kind: 'model_version',
        key: versionKey(2_050),
        recordId: sysId(2_050),
        changes: {
          correlation_id: { from: null, to: versionKey(2_050) },
          name: { from: null, to: 'fraud v2050' },
          owned_by: { from: null, to: sysId(99_999), toLabel: 'alice' },
          u_ml_stage: { from: null, to: 'Production' },
        },
        result: 'ok',
        at: AT,
      },
      { runId: 'r1', sink: 'cmdb', op: 'relate', kind: 'model_version', key: versionKey(2_050), otherKey: modelKey, recordId: sysId(102_050), changes: { type: 'Contains::Contained by', holder: 'child' }, result: 'ok', at: AT },
    ]);
    const links = loadLinks(db, keys, 'cmdb', (k) => k);
    expect(links.size).toBe(VERSIONS);
    expect(links.get(versionKey(7))).toMatchObject({ recordId: sysId(7), source: 'mlflow', kind: 'model_version', class: 'u_ml_model_version', applied: valuesOf(7) });
    expect(loadRelations(db, keys, 'cmdb').find((r) => r.child === versionKey(9))).toEqual({ type: 'Contains::Contained by', parent: modelKey, child: versionKey(9), relationId: sysId(100_009) });
    expect(currentItems(db, keys).find((i) => i.key === versionKey(3))).toMatchObject({ kind: 'model_version', firstSeen: AT, changedAt: AT, stage: 'Production', version: '3' });
    expect(itemHistory(db, keys, versionKey(3))).toEqual([{ at: AT, event: 'seen', data: { version: '3', stage: 'Production' } }]);
  });

  it('keeps a create payload its link shares once, and the old tables readable as text from the sqlite3 shell', () => {
    const shared = db.prepare('SELECT COUNT(*) AS n FROM link_rows WHERE applied IS NULL AND applied_from IS NOT NULL').get() as { n: number };
    expect(shared.n).toBe(VERSIONS);
    expect(db.prepare('SELECT sink, op, record_id, at FROM journal WHERE key_id = 3 ORDER BY id').all()).toEqual([
      { sink: 'cmdb', op: 'create', record_id: sysId(2), at: AT },
      { sink: 'cmdb', op: 'relate', record_id: sysId(100_002), at: AT },
    ]);
    expect(db.prepare('SELECT sink, class, record_id, updated_at FROM links WHERE id = 3').get()).toEqual({ sink: 'cmdb', class: 'u_ml_model_version', record_id: sysId(2), updated_at: AT });
  });

  it('moves a shared payload into its link before retention drops it from the journal', () => {
    expect(pruneCreatePayloads(db, '2026-04-01T00:00:00.000Z')).toBe(VERSIONS);
    expect(journalFor(db, keys, versionKey(5))[0]?.changes).toBeNull();
    expect(loadLinks(db, keys, 'cmdb', (k) => k).get(versionKey(5))?.applied).toEqual(valuesOf(5));
  });
});
