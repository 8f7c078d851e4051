import { renderStatus, statusReport } from '../../src/app/status';
import { MemorySource, model } from '../support/memory';
import { FleetSource, fleetEndpoint, fleetModel, fleetRuntime, fleetVersion, syncAt } from '../support/fleet';

const T1 = '2026-09-01T00:00:00.000Z';
const T2 = '2026-09-02T00:00:00.000Z';

function setup() {
  const src = new FleetSource('fl');
  const fraud = (owner?: string) => fleetModel('fl', 'fraud', owner ? { owner } : {});
  const v1 = (stage: string) => fleetVersion(fraud(), '1', { stage, runId: 'r1', metrics: { auc: 0.9 } });
  const v2 = (stage: string) => fleetVersion(fraud(), '2', { stage, runId: 'r2', metrics: { auc: 0.92 } });
  const rt = fleetRuntime(src);
  rt.loaded.config.policies.missingOwner.enabled = true;
  src.items = [fraud(), v1('Production'), v2('Staging'), fleetEndpoint('fl', 'fraud-scoring', v1('').key, 'ml.m5.large', 1, { owner: 'ops' })];
  const promote = () => (src.items = [fraud('alice'), v1('Archived'), v2('Production'), fleetEndpoint('fl', 'fraud-scoring', v2('').key, 'ml.m5.large', 2, { owner: 'ops' })]);
  return { src, rt, promote };
}

describe('change summary of a sync', () => {
  it('stores writes per kind, registry changes, findings raised and cleared, the cost delta and maturity with the run', async () => {
    const { rt, promote } = setup();
    const first = await syncAt(rt, T1);
    expect(first.change).toMatchObject({
      writes: [
        { sink: 'cmdb', kind: 'model', create: 1, update: 0, retire: 0 },
        { sink: 'cmdb', kind: 'model_version', create: 2, update: 0, retire: 0 },
      ],
      inventory: [
        { kind: 'deployment', added: 1, changed: 0, gone: 0 },
        { kind: 'model', added: 1, changed: 0, gone: 0 },
        { kind: 'model_version', added: 2, changed: 0, gone: 0 },
      ],
      findings: { raised: 1, cleared: 0, open: [{ type: 'missing-owner', severity: 'medium', count: 1, monthlyWaste: 0 }] },
      cost: [{ currency: 'USD', monthly: 97.82 }],
      complete: true,
      maturity: { overall: { governed: 0, total: 1, tier: 'Chaos' } },
    });
    promote();
    const second = await syncAt(rt, T2);
    expect(second.change).toMatchObject({
      writes: [{ sink: 'cmdb', kind: 'model_version', create: 0, update: 2, retire: 0 }],
      inventory: [
        { kind: 'deployment', added: 0, changed: 1, gone: 0 },
        { kind: 'model', added: 0, changed: 1, gone: 0 },
        { kind: 'model_version', added: 0, changed: 2, gone: 0 },
      ],
      findings: { raised: 0, cleared: 1, open: [] },
      cost: [{ currency: 'USD', monthly: 195.64, previous: 97.82, delta: 97.82 }],
      maturity: { overall: { governed: 1, total: 1, tier: 'Elite' }, bySource: [{ source: 'fl', score: 1 }] },
    });
    const runs = statusReport(rt.db, 5).runs;
    expect((runs[0]?.summary as { change?: unknown }).change).toEqual(second.change);
    const text = renderStatus(statusReport(rt.db, 5));
    expect(text).toContain(`What the last recorded sync (${second.runId}) changed:
  cmdb: versions 2 updated
  sources: deployments 1 changed; models 1 changed; versions 2 changed
  findings: 0 raised, 1 cleared; 0 open
  cost: $195.64 a month (+$97.82 since the previous run)
  maturity: 100 % Elite (1 of 1 production models fully governed)
`);
  });

  it('gives no cost delta when this run or the one before did not read every source', async () => {
    const { rt, promote } = setup();
    const flaky = new MemorySource('flaky');
    flaky.items = [model('flaky', 'x'), model('flaky', 'y')];
    rt.sources.push(flaky);
    await syncAt(rt, T1);
    flaky.fail = true;
    promote();
    const partial = await syncAt(rt, T2);
    expect(partial.status).toBe('partial');
    expect(partial.change).toMatchObject({ complete: false, cost: [{ currency: 'USD', monthly: 195.64 }] });
    expect(partial.change?.cost[0]).not.toHaveProperty('delta');
    expect(renderStatus(statusReport(rt.db, 5))).toContain('cost: $195.64 a month (not every source was read: no comparison)');
    flaky.fail = false;
    const after = await syncAt(rt, '2026-09-03T00:00:00.000Z');
    expect(after.change?.cost[0]).not.toHaveProperty('delta');
    const next = await syncAt(rt, '2026-09-04T00:00:00.000Z');
    expect(next.change?.cost[0]).toMatchObject({ delta: 0, previous: 195.64 });
  });
});
