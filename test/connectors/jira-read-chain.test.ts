import { memoryCache } from '../../src/engine/types';
import { collect } from '../support/deps';
import { createWrite, DEPLOYMENTS, deploymentItem, desired, modelItem, startJira, stopJira, versionItem } from './jira-setup';

afterEach(stopJira);

/**
 * Issue 8: a read of Jira Assets costs the round trips the API makes
 * necessary, not one per call. The catalog is three deep (schemas, the
 * schema's types, then every mapped type's attributes at once), and the
 * mapped types' objects are searched side by side: four in all. Counted in
 * the emulator by cause, with latency so requests sent together overlap
 * (on Cloud, the workspace id is the cache's from the run before).
 */
describe.each(DEPLOYMENTS)('Jira Assets (%s): the read chain', (deployment) => {
  it('reads the catalog and every mapped type in four round trips, and looks each owner up at once', async () => {
    const fx = await startJira({ deployment, ...(deployment === 'cloud' ? { config: { emailDomain: 'example.com' } } : {}) });
    // Kept from run to run, as the state file keeps it: on Cloud, the workspace id.
    const cache = memoryCache();
    const ctx = { ...fx.ctx(), cache, full: false };
    const model = modelItem('chain');
    await fx.sink.apply(createWrite(fx.sink, fx.mapping, model), ctx);
    await fx.sink.apply(createWrite(fx.sink, fx.mapping, versionItem(model, '1')), ctx);
    await fx.sink.apply(createWrite(fx.sink, fx.mapping, deploymentItem('chain-endpoint')), ctx);

    fx.emu.server.setLatency(40);
    fx.emu.server.clearRequests();
    const read = { ...fx.ctx(), cache, full: false };
    const records = await collect(fx.sink.readManaged(read));
    await collect(fx.sink.readRelations(read));
    expect(records.map((r) => r.class).sort()).toEqual(['ML Deployment', 'ML Model', 'ML Model Version']);
    expect(fx.emu.server.roundTripShape().depth).toBe(4);

    fx.emu.server.clearRequests();
    const owned = ['alice', 'bob', 'carol'].map((owner) => desired(fx.sink, fx.mapping, modelItem(`owned-by-${owner}`, { owner })));
    const resolved = (await fx.sink.resolve?.(owned, read)) ?? [];
    expect(resolved.map((r) => r.fields.Owner)).toEqual([fx.seed.users.alice, fx.seed.users.bob, fx.seed.users.carol]);
    expect(fx.emu.server.roundTripShape().depth).toBe(1);
  });
});
