import { audit, type AuditReport } from '../../src/app/audit';
import { UsageError } from '../../src/errors';
import { KeyIds } from '../../src/state/keys';
import { FleetSource, fleetEndpoint, fleetModel, fleetRuntime, fleetVersion, syncAt } from '../support/fleet';

const T1 = '2026-09-01T00:00:00.000Z';
const T2 = '2026-09-15T00:00:00.000Z';
const T3 = '2026-10-01T00:00:00.000Z';

/**
 * fraud v1 serves in production from T1; at T2 v2 is promoted, v1 archived,
 * and the endpoint moves to v2 on bigger hardware; at T3 v2 is re-evaluated
 * (its metrics change) and the endpoint scales to 3, while churn-api serves
 * nothing registered throughout.
 */
async function scenario() {
  const src = new FleetSource('fl');
  const fraud = fleetModel('fl', 'fraud', { owner: 'alice' });
  const data = [{ name: 'fraud/2026-08', digest: 'sha256:ab12', context: 'train' }];
  const v1 = (stage: string) => fleetVersion(fraud, '1', { stage, runId: 'run-1', metrics: { auc: 0.91 }, datasets: data });
  const v2 = (stage: string, auc: number) => fleetVersion(fraud, '2', { stage, runId: 'run-2', runName: 'nightly', metrics: { auc }, datasets: data });
  const shadow = fleetEndpoint('fl', 'churn-api', undefined);
  const rt = fleetRuntime(src);
  src.items = [fraud, v1('Production'), v2('Staging', 0.93), fleetEndpoint('fl', 'fraud-scoring', v1('').key), shadow];
  await syncAt(rt, T1);
  src.items = [fraud, v1('Archived'), v2('Production', 0.93), fleetEndpoint('fl', 'fraud-scoring', v2('', 0).key, 'ml.m5.xlarge', 2), shadow];
  await syncAt(rt, T2);
  src.items = [fraud, v1('Archived'), v2('Production', 0.88), fleetEndpoint('fl', 'fraud-scoring', v2('', 0).key, 'ml.m5.xlarge', 3), shadow];
  await syncAt(rt, T3);
  const ask = (q: Parameters<typeof audit>[2]) => audit(rt.db, new KeyIds(rt.db), q);
  return { rt, ask, v1: v1('').key, v2: v2('', 0).key };
}

const fraudAt = (r: AuditReport) => r.intervals.filter((i) => i.deployment.title === 'fraud-scoring');

describe('masync audit: what ran where, when', () => {
  it('inside, at both edges of, and outside an interval', async () => {
    const { ask, v1, v2 } = await scenario();
    const served = (at: string) => fraudAt(ask({ at })).map((i) => i.serves.map((v) => v.key));
    expect(served('2026-09-10T12:00:00.000Z')).toEqual([[v1]]);
    expect(served(T1)).toEqual([[v1]]); // the first instant of the interval belongs to it
    expect(served(T2)).toEqual([[v2]]); // its end is the next interval's start
    expect(served('2026-09-14T23:59:59.999Z')).toEqual([[v1]]);
    const before = ask({ at: '2026-08-31T23:59:59.000Z' });
    expect(before.intervals).toEqual([]);
    expect(before.notes.join('\n')).toContain(`state holds no observation before ${T1}`);
    const after = ask({ at: '2027-01-01T00:00:00.000Z' });
    expect(fraudAt(after).map((i) => i.instanceCount)).toEqual([3]);
    expect(after.notes.join('\n')).toContain('what ran after it is not known');
  });

  it('shows the version as it was then: stage, run, datasets and metrics from the item history, not as it is now', async () => {
    const { ask } = await scenario();
    const [then] = fraudAt(ask({ at: '2026-09-20T00:00:00.000Z' }));
    expect(then).toMatchObject({ instanceType: 'ml.m5.xlarge', instanceCount: 2, validFrom: T2, validTo: T3, changedAfter: T1 });
    expect(then?.serves[0]).toMatchObject({ title: 'fraud v2', known: true, stage: 'Production', runId: 'run-2', runName: 'nightly', metrics: { auc: 0.93 }, datasets: [{ digest: 'sha256:ab12' }], recordedSince: T2 });
    const [first] = fraudAt(ask({ at: '2026-09-02T00:00:00.000Z' }));
    expect(first?.serves[0]).toMatchObject({ title: 'fraud v1', stage: 'Production' });
    const [now] = fraudAt(ask({ at: '2026-10-02T00:00:00.000Z' }));
    expect(now?.serves[0]?.metrics).toEqual({ auc: 0.88 });
  });

  it('names what opened an interval: the source change, and the writes that sync made', async () => {
    const { ask } = await scenario();
    const [promoted] = fraudAt(ask({ at: T2 }));
    expect(promoted?.openedBy.runId).toMatch(/^20260915T000000Z-/);
    expect(promoted?.openedBy.changes).toEqual(['serves fraud v2 (was fraud v1)', 'runs on ml.m5.xlarge × 2 (was ml.m5.large × 1)']);
    expect(promoted?.openedBy.writes).toContainEqual(expect.objectContaining({ sink: 'cmdb', op: 'update', result: 'ok', changes: { stage: { from: 'Staging', to: 'Production' } } }));
    expect(promoted?.openedBy.writes.map((w) => w.text)).toContainEqual(expect.stringMatching(/^cmdb: updated fraud v2 \(r\d+\): stage "Staging" → "Production"/));
    const [first] = fraudAt(ask({ at: T1 }));
    expect(first?.openedBy.changes).toEqual(['first observed: the deployment appeared (or its source was first synced)']);
  });

  it('a window lists every interval overlapping it, oldest first; --deployment narrows it', async () => {
    const { ask } = await scenario();
    const window = ask({ from: '2026-09-10T00:00:00.000Z', to: T3, deployment: 'fraud-scoring' });
    expect(window.intervals.map((i) => [i.validFrom, i.instanceCount])).toEqual([
      [T1, 1],
      [T2, 2],
      [T3, 3],
    ]);
    // An interval that ended exactly when the window starts did not hold in it.
    expect(ask({ from: T2, to: T2, deployment: 'fraud-scoring' }).intervals.map((i) => i.validFrom)).toEqual([T2]);
    expect(ask({ at: T2 }).intervals.map((i) => i.deployment.title).sort()).toEqual(['churn-api', 'fraud-scoring']);
    const shadow = ask({ at: T2, deployment: 'churn-api' }).intervals[0];
    expect(shadow?.serves).toEqual([]);
    expect(() => ask({ at: T2, deployment: 'no-such-endpoint' })).toThrow(UsageError);
  });
});
