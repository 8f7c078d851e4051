import { journal, journalled, leases, runs } from '../support/state-file';
import { DEMO, eventually, startWorld, type World } from '../support/sync-world';

interface SyncJson {
  status: string;
  applied: Record<string, number>;
}

const BATCH = '/api/now/v1/batch';

/** Issue 5: a stop signal in the middle of an apply loses nothing that landed and leaves nothing locked. */
describe('stopping a sync with a signal (spawned CLI)', () => {
  let w: World;
  afterEach(() => w.stop());

  /** Every CI and relation masync made is in the journal, as a landed create or relate of that very record. */
  function expectJournalComplete(): void {
    const created = journalled(w.statePath, 'create');
    const related = journalled(w.statePath, 'relate');
    expect(w.managed().filter((c) => !created.has(c.sys_id ?? ''))).toEqual([]);
    expect(w.relations().filter((r) => !related.has(r.sys_id ?? ''))).toEqual([]);
  }

  async function restartCompletes(): Promise<void> {
    const again = await w.cli(['sync', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'ok' });
    const identities = w.managed().map((c) => c.correlation_id);
    expect(identities).toHaveLength(DEMO.cis);
    expect(new Set(identities).size).toBe(DEMO.cis);
    expect(w.relations()).toHaveLength(DEMO.relations);
    expectJournalComplete();
  }

  it('SIGTERM: the writes in flight land and are journalled, nothing new starts, the lease is released, exit 143; a restart completes', async () => {
    w = await startWorld({ sink: { batchSize: 3 }, run: { concurrency: 2 } });
    w.servicenow.server.faults.inject({ method: 'POST', path: BATCH, delayMs: 600, times: 100 });
    const cli = w.spawn(['sync', '--json']);
    let batches = 0;
    let atSignal = -1;
    w.servicenow.server.onRequest = (req) => {
      if (req.method !== 'POST' || req.path !== BATCH || ++batches !== 3) return;
      atSignal = w.managed().length;
      cli.child.kill('SIGTERM');
    };
    const r = await cli.done;
    w.servicenow.server.onRequest = undefined;

    expect(r.code).toBe(143);
    const out = JSON.parse(r.stdout) as SyncJson;
    expect(out.status).toBe('interrupted');
    // The third batch and the one beside it were in flight when the signal came: they landed, and nothing after them started.
    expect(w.managed().length).toBeGreaterThan(atSignal);
    expect(w.managed().length).toBeLessThan(DEMO.cis);
    expect(w.servicenow.server.requests.filter((q) => q.method === 'POST' && q.path === BATCH).length).toBeLessThanOrEqual(4);
    expect(out.applied.create).toBe(w.managed().length);
    expectJournalComplete();
    expect(journal(w.statePath).every((j) => j.result === 'ok')).toBe(true);
    expect(leases(w.statePath)).toEqual([]);
    expect(runs(w.statePath)).toEqual([expect.objectContaining({ status: 'interrupted', finishedAt: expect.any(String) })]);

    w.servicenow.server.faults.clear();
    await restartCompletes();
  });

  it('SIGINT twice: the second stops at once without waiting for the write in flight, exit 130; a restart completes without a duplicate', async () => {
    w = await startWorld({ sink: { batchSize: 3 }, run: { concurrency: 1 } });
    // The first batch hangs (and is never answered): only a hard stop gets past it.
    w.servicenow.server.faults.inject({ method: 'POST', path: BATCH, delayMs: 60_000, destroy: true, times: 1 });
    const cli = w.spawn(['sync', '--json']);
    await eventually(() => (w.servicenow.server.requests.some((q) => q.path === BATCH) ? true : undefined), 'the first batch');
    cli.child.kill('SIGINT');
    await eventually(() => (cli.stderr().includes('SIGINT') ? true : undefined), 'the first signal noticed');
    cli.child.kill('SIGINT');
    const r = await cli.done;

    expect(r.code).toBe(130);
    expect(r.stderr).toContain('stopping now');
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'interrupted', applied: { create: 0, unknown: 3 } });
    // The process ended while its write was still unanswered.
    expect(w.servicenow.server.requests.find((q) => q.path === BATCH)?.status).toBeUndefined();
    expect(journal(w.statePath).map((j) => j.result)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(leases(w.statePath)).toEqual([]);
    expect(runs(w.statePath)).toEqual([expect.objectContaining({ status: 'interrupted' })]);

    await restartCompletes();
  });
});
