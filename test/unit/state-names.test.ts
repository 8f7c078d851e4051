import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { openDb } from '../../src/state/db';
import { appendJournal, journalFor, type JournalEntry } from '../../src/state/journal';
import { KeyIds } from '../../src/state/keys';
import { startRun } from '../../src/state/runs';

const entry = (sink: string, key: string): JournalEntry => ({ run: 1, sink, op: 'update', kind: 'model', key, changes: { name: { from: 'a', to: 'b' } }, result: 'ok', at: '2026-05-01T00:00:00.000Z' });

describe('names stored once and referred to by number', () => {
  it('forgets a name whose transaction rolled back, so a number never names two things', () => {
    const db = openDb(path.join(mkdtempSync(path.join(os.tmpdir(), 'masync-names-')), 'state.db'));
    const keys = new KeyIds(db);
    startRun(db, { id: 'r1', command: 'sync', startedAt: '2026-05-01T00:00:00.000Z', pid: 1, host: 'h' });
    keys.idOf('k1');
    keys.idOf('k2');
    expect(() =>
      db.transaction(() => {
        appendJournal(db, keys, [entry('lost-sink', 'k1')]);
        throw new Error('the batch failed');
      })(),
    ).toThrow('the batch failed');
    // The rolled-back name's number is free again in the file: the next new name takes it.
    appendJournal(db, keys, [entry('cmdb', 'k1')]);
    appendJournal(db, keys, [entry('lost-sink', 'k2')]);
    expect(journalFor(db, keys, 'k1').map((e) => e.sink)).toEqual(['cmdb']);
    expect(journalFor(db, keys, 'k2').map((e) => e.sink)).toEqual(['lost-sink']);
  });
});
