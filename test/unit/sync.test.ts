import os from 'node:os';
import { computePlan } from '../../src/app/compute-plan';
import { openRunEnv } from '../../src/app/run-env';
import { runSync, writesOf, type SyncOptions } from '../../src/app/sync-run';
import { LockedError } from '../../src/errors';
import { acquireLease } from '../../src/state/lease';
import { MemorySink, MemorySource, model, version } from '../support/memory';
import { memoryRuntime, runBaseFor, type MemoryRuntime } from '../support/runtime';

type Options = Partial<SyncOptions> & { guard?: Partial<MemoryRuntime['loaded']['config']['guard']> };

function setup(guard: { maxRetireFraction?: number } = {}) {
  const src = new MemorySource('reg');
  src.items = [model('reg', 'fraud'), version('reg', 'fraud', '1', { stage: 'Production' }), version('reg', 'fraud', '2'), model('reg', 'churn'), version('reg', 'churn', '1')];
  const sink = new MemorySink('cmdb');
  const rt = memoryRuntime({ sources: [src], sinks: [sink], guard });
  return { src, sink, rt };
}

async function sync(rt: MemoryRuntime, { guard, ...o }: Options = {}) {
  const before = { ...rt.loaded.config.guard };
  Object.assign(rt.loaded.config.guard, guard);
  try {
    const r = await runSync(rt, { allowMassRetire: false, concurrency: 2, waitMs: 0, ...o }, runBaseFor(rt));
    return { ...r, writes: writesOf(r.applied) };
  } finally {
    rt.loaded.config.guard = before;
  }
}

describe('sync (engine, state and applier against an in-memory sink)', () => {
  it('creates everything, relates versions to models, then a second run writes nothing', async () => {
    const { sink, rt } = setup();
    const first = await sync(rt);
    expect(first.status).toBe('ok');
    expect(first.planned).toEqual({ create: 5, update: 0, retire: 0, relate: 3, unrelate: 0, unchanged: 0 });
    expect(sink.records.size).toBe(5);
    expect(sink.relations.size).toBe(3);
    expect(first.writes).toBe(8);
    const second = await sync(rt);
    expect(second).toMatchObject({ status: 'ok', writes: 0, planned: { create: 0, update: 0, retire: 0, unchanged: 5 } });
    const journal = rt.db.prepare('SELECT COUNT(*) AS n FROM journal').get() as { n: number };
    expect(journal.n).toBe(8);
  });

  it('retires the record of a removed version and keeps it', async () => {
    const { src, sink, rt } = setup();
    await sync(rt);
    src.items = src.items.filter((i) => i.key !== 'mem://reg/models/fraud/versions/2');
    const r = await sync(rt);
    expect(r.planned.retire).toBe(1);
    expect(sink.records.size).toBe(5);
    const retired = [...sink.records.values()].find((x) => x.identity === 'mem://reg/models/fraud/versions/2');
    expect(retired?.fields.status).toBe('retired');
    const item = rt.db.prepare('SELECT gone_at FROM items JOIN keys ON keys.id = items.id WHERE key = ?').get('mem://reg/models/fraud/versions/2') as { gone_at: string | null };
    expect(item.gone_at).not.toBeNull();
  });

  it('a failed source retires nothing and keeps its items in state', async () => {
    const { src, sink, rt } = setup();
    await sync(rt);
    src.fail = true;
    const r = await sync(rt);
    expect(r.status).toBe('failed');
    expect(r.errors.join()).toContain('reg went away');
    expect([...sink.records.values()].every((x) => x.fields.status === 'active')).toBe(true);
    const gone = rt.db.prepare('SELECT COUNT(*) AS n FROM items WHERE gone_at IS NOT NULL').get() as { n: number };
    expect(gone.n).toBe(0);
  });

  it('a failed source among healthy ones makes the run partial and leaves its records alone', async () => {
    const { src, sink, rt: base } = setup();
    base.close();
    const other = new MemorySource('other');
    other.items = [model('other', 'x')];
    const rt = memoryRuntime({ sources: [src, other], sinks: [sink] });
    await sync(rt);
    src.fail = true;
    other.items = [];
    const r = await sync(rt, { guard: { minFractionOfLastRun: 0 } });
    expect(r.status).toBe('partial');
    const statuses = [...sink.records.values()].map((x) => [x.identity, x.fields.status]);
    expect(statuses.filter(([, s]) => s === 'retired')).toEqual([['mem://other/models/x', 'retired']]);
  });

  it('a source that returns suspiciously few items retires nothing', async () => {
    const { src, sink, rt } = setup();
    await sync(rt);
    src.items = src.items.slice(0, 2);
    const r = await sync(rt);
    expect(r.planned.retire).toBe(0);
    expect(r.plan?.notes.join('\n')).toContain('returned 2 item(s), fewer than 50% of the 5');
    expect([...sink.records.values()].every((x) => x.fields.status === 'active')).toBe(true);
  });

  it('a mass retirement is blocked unless allowed', async () => {
    const { src, sink, rt } = setup({ maxRetireFraction: 0.3 });
    await sync(rt);
    src.items = src.items.slice(0, 3);
    const blocked = await sync(rt, { guard: { minFractionOfLastRun: 0 } });
    expect(blocked.status).toBe('blocked');
    expect(blocked.writes).toBe(0);
    expect([...sink.records.values()].every((x) => x.fields.status === 'active')).toBe(true);
    const allowed = await sync(rt, { guard: { minFractionOfLastRun: 0 }, allowMassRetire: true });
    expect(allowed.status).toBe('ok');
    expect([...sink.records.values()].filter((x) => x.fields.status === 'retired')).toHaveLength(2);
  });

  it('a write that fails halfway leaves a partial run; the next run finishes without duplicates', async () => {
    const { sink, rt } = setup();
    sink.failAtWrite = 2;
    const first = await sync(rt, { concurrency: 1 });
    expect(first.status).toBe('partial');
    expect(first.errors).toEqual([expect.stringContaining('sink unavailable')]);
    const second = await sync(rt);
    expect(second.status).toBe('ok');
    expect(sink.records.size).toBe(5);
    expect(new Set([...sink.records.values()].map((r) => r.identity)).size).toBe(5);
    expect(sink.relations.size).toBe(3);
    expect((await sync(rt)).writes).toBe(0);
  });

  it('--source syncs one source and leaves the records of the others alone', async () => {
    const a = new MemorySource('a');
    const b = new MemorySource('b');
    a.items = [model('a', 'm1')];
    b.items = [model('b', 'm2')];
    const sink = new MemorySink('cmdb');
    const rt = memoryRuntime({ sources: [a, b], sinks: [sink] });
    await sync(rt);
    b.items = [];
    a.items.push(model('a', 'm3'));
    const r = await sync(rt, { sourceNames: ['a'] });
    expect(r.planned).toMatchObject({ create: 1, retire: 0 });
    expect([...sink.records.values()].map((x) => x.fields.status)).toEqual(['active', 'active', 'active']);
  });

  it('keeps a person\'s edit of a sink-authoritative field and reports it as drift', async () => {
    const { src, sink, rt } = setup();
    src.items = src.items.map((i) => (i.kind === 'model_version' ? { ...i, owner: 'alice' } : i));
    await sync(rt);
    const rec = [...sink.records.values()].find((x) => x.identity.endsWith('fraud/versions/1'));
    if (!rec) throw new Error('record missing');
    rec.fields.owner_name = 'bob';
    const { plan } = await computePlan(rt, openRunEnv(rt, runBaseFor(rt)), {});
    expect(plan.ops).toEqual([]);
    expect(plan.drift).toEqual([expect.objectContaining({ field: 'owner_name', sinkValue: 'bob', sourceValue: 'alice' })]);
    const r = await sync(rt);
    expect(r.writes).toBe(0);
    expect(rec.fields.owner_name).toBe('bob');
  });

  it('refuses to run while another live process holds the lease', async () => {
    const { rt } = setup();
    const held = acquireLease(rt.db, 'sync', { holder: 'other-run', pid: process.ppid, host: os.hostname() }, 60_000, { nowMs: Date.now(), isAlive: () => true, hostname: os.hostname() });
    expect(held.ok).toBe(true);
    await expect(sync(rt)).rejects.toThrow(LockedError);
    await expect(sync(rt)).rejects.toThrow(/another masync run holds .* \(run other-run, pid/);
  });

  it('takes over a lease whose holder on this host has died', async () => {
    const { rt } = setup();
    acquireLease(rt.db, 'sync', { holder: 'dead-run', pid: 2 ** 22 + 17, host: os.hostname() }, 60_000, { nowMs: Date.now(), isAlive: () => true, hostname: os.hostname() });
    const r = await sync(rt);
    expect(r.status).toBe('ok');
  });
});
