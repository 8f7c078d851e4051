import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appliedForm } from '../../src/state/applied';
import { latin1FromHex } from '../../src/state/compact-values';
import { openDb, type Db } from '../../src/state/db';
import { KeyIds } from '../../src/state/keys';
import { appliedEquals, appliedKey, fieldsMatchKey, loadLinks, matchKey, saveLinks, type Link } from '../../src/state/links';

const AT = '2026-05-01T08:00:00.000Z';
const SINK = 'cmdb';
// The sink's own identity of a key: long keys are hashed, as ServiceNow's correlation_id does.
const identityOf = (key: string) => (key.length > 40 ? `sha256:${key.length}` : key);

const written: Link[] = [
  {
    sink: SINK,
    key: 'mlflow://reg/models/fraud',
    source: 'mlflow',
    kind: 'model',
    recordId: '0123456789abcdef0123456789abcdef',
    identity: 'mlflow://reg/models/fraud',
    class: 'cmdb_ci_appl_ai_application',
    applied: { name: 'fraud', owned_by: '', u_note: 'naïve “quotes” ✓' },
    basis: 'bas\u00e9\u0000\u00ff12-',
  },
  {
    sink: SINK,
    key: 'mlflow://reg/models/fraud/versions/1234567890123',
    source: 'mlflow',
    kind: 'model_version',
    recordId: 'JSM-4211',
    identity: identityOf('mlflow://reg/models/fraud/versions/1234567890123'),
    class: 'u_ml_model_version',
    applied: { name: 'fraud v1', u_ml_stage: 'Archived' },
    retiredAt: '2026-04-30T23:59:59.999Z',
  },
  {
    sink: SINK,
    key: 'sagemaker://1/eu-west-1/endpoints/fraud',
    source: 'sagemaker',
    kind: 'deployment',
    recordId: 'fedcba9876543210fedcba9876543210',
    identity: 'someone set this identity by hand',
    class: 'cmdb_ci_service_auto',
    applied: {},
  },
];

/** A link as plain fields, read through whatever form it has. */
const fieldsOf = (l: Link) => ({
  sink: l.sink,
  key: l.key,
  source: l.source,
  kind: l.kind,
  recordId: l.recordId,
  identity: l.identity,
  class: l.class,
  applied: l.applied,
  retiredAt: l.retiredAt,
  basis: l.basis,
});

describe('state: links read back', () => {
  let dir: string;
  let db: Db;
  let keys: KeyIds;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'masync-links-'));
    db = openDb(path.join(dir, 'state.db'));
    keys = new KeyIds(db);
    keys.storeAll(written.map((l) => l.key));
    saveLinks(db, keys, written, AT, identityOf);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a link read lazily holds every field, values included, as they were written', () => {
    const loaded = loadLinks(db, new KeyIds(db), SINK, identityOf);
    expect([...loaded.keys()].sort()).toEqual(written.map((l) => l.key).sort());
    for (const w of written) expect(fieldsOf(loaded.get(w.key) as Link)).toEqual(fieldsOf(w));
  });

  it('answers for its values by hash, as the values themselves would', () => {
    const loaded = loadLinks(db, keys, SINK, identityOf);
    for (const w of written) {
      const l = loaded.get(w.key) as Link;
      expect(appliedKey(l)).toBe(appliedForm(w.applied).hash);
      expect(matchKey(l)).toBe(fieldsMatchKey(w.applied));
      expect(appliedEquals(l, { ...w.applied })).toBe(true);
      expect(appliedEquals(l, { ...w.applied, name: 'renamed' })).toBe(false);
    }
  });

  it('a link an earlier version wrote without a match hash has none, and still compares its values', () => {
    db.prepare('UPDATE link_rows SET match_hash = NULL').run();
    const l = loadLinks(db, keys, SINK, identityOf).get(written[0]?.key as string) as Link;
    expect(matchKey(l)).toBeUndefined();
    expect(appliedEquals(l, { ...written[0]?.applied })).toBe(true);
  });

  it('values read after their row moved on fail rather than answer with the new ones', () => {
    const l = loadLinks(db, keys, SINK, identityOf).get(written[1]?.key as string) as Link;
    saveLinks(db, keys, [{ ...(written[1] as Link), applied: { name: 'fraud v1', u_ml_stage: 'Production' } }], AT, identityOf);
    expect(() => l.applied).toThrow(/replaced before they were read/);
  });

  it('refuses a row whose hashes are not the length masync writes', () => {
    db.prepare('UPDATE link_rows SET applied_hash = ? WHERE id = ?').run(Buffer.alloc(5), keys.find(written[2]?.key as string));
    expect(() => loadLinks(db, keys, SINK, identityOf)).toThrow(/holds 13 bytes of hashes where masync writes 8 or 16; the state file is damaged/);
  });
});

describe('state: hashes read as hex', () => {
  it('decode to the latin1 string of the same bytes', () => {
    const bytes = Buffer.from([0x00, 0x7f, 0x80, 0xa0, 0xff, 0x12, 0xab, 0xcd, 0xef, 0x01, 0x99, 0x5a, 0xe9, 0x00, 0x10, 0xfe]);
    const long = Buffer.concat(Array.from({ length: 300 }, () => bytes));
    for (const b of [0, 1, 8, 9, 16].map((n) => bytes.subarray(0, n)).concat([long])) {
      expect(latin1FromHex(b.toString('hex').toUpperCase())).toBe(b.toString('latin1'));
      expect(latin1FromHex(b.toString('hex'))).toBe(b.toString('latin1'));
    }
  });
});
