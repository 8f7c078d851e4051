import { runSync } from '../../src/app/sync-run';
import { KeyIds } from '../../src/state/keys';
import { loadRelations } from '../../src/state/relations';
import { MemorySink, MemorySource, model, version } from '../support/memory';
import { memoryRuntime, runBaseFor } from '../support/runtime';

const MODEL = 'mem://reg/models/fraud';
const V1 = `${MODEL}/versions/1`;

/** Issue 5: a copy of a CI that masync made (an insert that landed late) is retired, and what was drawn to it is drawn to the one kept. */
describe('duplicate repair (engine against an in-memory sink)', () => {
  it('retires the copy, never deletes it, and moves its relations to the kept record, remembering them', async () => {
    const src = new MemorySource('reg');
    src.items = [model('reg', 'fraud'), version('reg', 'fraud', '1'), version('reg', 'fraud', '2')];
    const sink = new MemorySink('cmdb');
    const rt = memoryRuntime({ sources: [src], sinks: [sink] });
    const sync = () => runSync(rt, { allowMassRetire: false, waitMs: 0 }, runBaseFor(rt));
    try {
      expect((await sync()).status).toBe('ok');
      const kept = [...sink.records.values()].find((r) => r.identity === MODEL)?.id as string;
      const v1 = [...sink.records.values()].find((r) => r.identity === V1)?.id as string;
      // A copy of the model CI landed after its answer was lost, and version 1's relation was drawn to it.
      sink.records.set('copy', { id: 'copy', class: 'thing', identity: MODEL, fields: { ext_key: MODEL, owner: 'masync', status: 'active', name: 'fraud' } });
      const moved = [...sink.relations.values()].find((r) => r.childId === v1);
      if (!moved) throw new Error('no relation of version 1');
      moved.parentId = 'copy';

      const repair = await sync();
      expect(repair.plan?.ops.map((o) => [o.op, o.id ?? o.relation?.parent, o.reason?.split(':')[0]?.split(' ').slice(0, 2).join(' ')])).toEqual([
        ['relate', MODEL, 'duplicate copy'],
        ['unrelate', moved.id, 'duplicate copy'],
        ['retire', 'copy', 'duplicate of'],
      ]);
      expect(repair.notes.join('\n')).toContain('1 duplicate record(s) masync created are retired and their relations moved to the record it keeps');
      expect(repair).toMatchObject({ status: 'ok', applied: { relate: 1, unrelate: 1, retire: 1 } });
      expect(sink.records.get('copy')?.fields.status).toBe('retired');
      expect([...sink.relations.values()].filter((r) => r.childId === v1).map((r) => r.parentId)).toEqual([kept]);
      const known = loadRelations(rt.db, new KeyIds(rt.db), 'cmdb').filter((r) => r.child === V1);
      expect(known).toEqual([expect.objectContaining({ parent: MODEL, relationId: [...sink.relations.values()].find((r) => r.childId === v1)?.id })]);

      expect((await sync()).plan?.ops).toEqual([]);
    } finally {
      rt.close();
    }
  });
});
