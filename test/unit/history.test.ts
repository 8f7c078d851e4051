import { history } from '../../src/app/history';
import { UsageError } from '../../src/errors';
import { KeyIds } from '../../src/state/keys';
import { FleetSource, fleetEndpoint, fleetModel, fleetRuntime, fleetVersion, syncAt } from '../support/fleet';

const T1 = '2026-09-01T00:00:00.000Z';
const T2 = '2026-09-15T00:00:00.000Z';
const T3 = '2026-10-01T00:00:00.000Z';

/** fraud: v1 in production, then v2 promoted (alias champion moves) and v1 deleted; the endpoint follows, then goes. */
async function scenario() {
  const src = new FleetSource('fl');
  const fraud = (champion: string) => fleetModel('fl', 'fraud', { aliases: { champion } });
  const v1 = fleetVersion(fraud('1'), '1', { stage: 'Production', aliases: ['champion'], runId: 'r1', metrics: { auc: 0.91 } });
  const v2 = (extra = {}) => fleetVersion(fraud('1'), '2', { stage: 'Staging', runId: 'r2', metrics: { auc: 0.93 }, ...extra });
  const other = fleetModel('fl', 'churn');
  const rt = fleetRuntime(src);
  rt.loaded.config.policies.rollbackDepth.enabled = true;
  src.items = [fraud('1'), v1, v2(), other, fleetEndpoint('fl', 'fraud-scoring', v1.key)];
  await syncAt(rt, T1);
  src.items = [fraud('2'), v2({ stage: 'Production', aliases: ['champion'] }), other, fleetEndpoint('fl', 'fraud-scoring', v2().key, 'ml.m5.large', 2)];
  await syncAt(rt, T2);
  src.items = [fraud('2'), v2({ stage: 'Production', aliases: ['champion'] }), fleetVersion(fraud('2'), '3'), other];
  await syncAt(rt, T3);
  return { rt, ask: (ref: string) => history(rt.db, new KeyIds(rt.db), ref), v1, v2: v2() };
}

describe('masync history: one model’s life in order', () => {
  it('versions, stage and alias moves, deployments, findings and writes, grouped by the sync that saw them', async () => {
    const { ask } = await scenario();
    const h = ask('fraud');
    expect(h.subject).toMatchObject({ kind: 'model', title: 'fraud', source: 'fl' });
    expect(h.versions.map((k) => k.split('/').pop())).toEqual(['1', '2', '3']);
    expect(h.deployments).toEqual(['fleet://fl/endpoints/fraud-scoring']);
    const lines = h.events.map((e) => `${e.at.slice(0, 10)} ${e.type} ${e.text}`);
    const first = (s: string) => lines.findIndex((l) => l.includes(s));
    // Within one sync: what the sources showed, then deployments, then findings, then the writes.
    expect(lines.slice(0, 4)).toEqual([
      '2026-09-01 registered model fraud registered',
      '2026-09-01 registered fraud v1 registered',
      '2026-09-01 registered fraud v2 registered',
      '2026-09-01 deployed fraud-scoring started serving fraud v1 on ml.m5.large × 1',
    ]);
    expect(lines[4]).toMatch(/^2026-09-01 finding-raised rollback-depth \(low\) raised on fraud: fraud v2 is in production with 0 earlier .*\(as last seen, 2026-10-01T00:00:00.000Z\)$/);
    expect(lines[5]).toMatch(/^2026-09-01 write cmdb: created fraud \(r\d+\)/);
    expect(lines).toContain('2026-09-15 aliases fraud: alias champion moved v1 → v2');
    expect(lines).toContain('2026-09-15 stage fraud v2: stage Staging → Production');
    expect(lines).toContain('2026-09-15 gone fraud v1 left fl (deleted, or no longer listed)');
    expect(lines).toContain('2026-09-15 deployed fraud-scoring started serving fraud v2 on ml.m5.large × 2');
    expect(lines).toContain('2026-09-15 undeployed fraud-scoring stopped serving fraud v1');
    expect(lines).toContain('2026-10-01 undeployed fraud-scoring stopped serving fraud v2 (the deployment is gone)');
    expect(lines).toContainEqual(expect.stringMatching(/^2026-09-15 write cmdb: retired fraud v1/));
    expect(first('stage fraud v2')).toBeLessThan(first('write cmdb: updated fraud v2'));
    expect(first('registered fraud v3')).toBeGreaterThan(first('stopped serving fraud v1'));
    // Ordered by sync, then by the order a sync works in; no event of another model.
    const runs = h.events.map((e) => e.runId ?? '');
    expect([...runs].sort()).toEqual(runs);
    expect(lines.join('\n')).not.toContain('churn');
  });

  it('accepts a version title, a deployment name or a key; refuses a name two sources share', async () => {
    const { ask, rt, v1 } = await scenario();
    const version = ask('fraud v1');
    expect(version.subject).toMatchObject({ kind: 'model_version', key: v1.key, goneAt: T2 });
    expect(version.events.map((e) => e.type)).toEqual(expect.arrayContaining(['registered', 'deployed', 'undeployed', 'gone', 'write']));
    expect(version.events.some((e) => e.text.includes('fraud v2 registered'))).toBe(false);
    expect(ask(v1.key).subject.key).toBe(v1.key);
    const endpoint = ask('fraud-scoring');
    expect(endpoint.subject.kind).toBe('deployment');
    expect(endpoint.events.filter((e) => e.type !== 'finding-raised' && e.type !== 'finding-cleared').map((e) => e.text)).toEqual([
      'fraud-scoring started serving fraud v1 on ml.m5.large × 1',
      'fraud-scoring started serving fraud v2 on ml.m5.large × 2',
      'fraud-scoring stopped serving fraud v1',
      'fraud-scoring stopped serving fraud v2 (the deployment is gone)',
    ]);
    // The same model name in a second source makes the name ambiguous.
    const second = new FleetSource('f2');
    second.items = [fleetModel('f2', 'fraud')];
    rt.sources.push(second);
    await syncAt(rt, '2026-10-02T00:00:00.000Z');
    expect(() => ask('fraud')).toThrow(/"fraud" names 2 items; give one of their keys:\n {2}fleet:\/\/fl\/models\/fraud {2}\(fl\)\n {2}fleet:\/\/f2\/models\/fraud/);
    expect(() => ask('nothing-like-it')).toThrow(UsageError);
  });
});
