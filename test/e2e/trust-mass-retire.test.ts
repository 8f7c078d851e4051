import { stoppableIo } from '../support/stoppable-io';
import { DEMO, startWorld, type World } from '../support/sync-world';

interface SyncJson {
  status: string;
  planned: Record<string, number>;
  applied: Record<string, number>;
  blocked?: string;
  massRetireAllowed?: string;
}

const GONE_MODELS = ['fraud-detector', 'churn-predictor', 'credit-scoring', 'recommender'];

/** Issue 5: 80 % of the registry gone at once is held for a person, creates and all. */
describe('a mass disappearance', () => {
  let w: World;
  afterEach(() => w.stop());

  const writesSent = () => ['POST', 'PATCH', 'DELETE'].reduce((n, m) => n + w.servicenow.server.count(m, '/api/now/'), 0);

  /** 4 of 5 models (17 of 20 items) gone, and 2 new models with 3 versions each. */
  function shrinkAndGrow(): void {
    for (const m of GONE_MODELS) w.mlflow.deleteModel(m);
    for (const name of ['new-a', 'new-b']) {
      w.mlflow.addModel({ name, tags: { owner: 'alice' } });
      for (let v = 0; v < 3; v++) w.mlflow.addVersion({ name, source: `s3://new/${name}/${v}`, userId: 'alice' });
    }
  }

  it('applies nothing, not even the creates, until --allow-mass-retire; the override is shown as one, confirmed on a terminal', async () => {
    w = await startWorld();
    await w.cli(['sync', '--json']);
    shrinkAndGrow();
    w.servicenow.server.clearRequests();

    const blocked = await w.cli(['sync', '--json']);
    const j = JSON.parse(blocked.stdout) as SyncJson;
    expect(blocked.code).toBe(4);
    expect(j).toMatchObject({ status: 'blocked', planned: { create: 8, retire: 17 }, applied: { create: 0, retire: 0, relate: 0 } });
    expect(j.blocked).toMatch(/would retire 17 of 20 managed records in sink cmdb-trust, more than guard.maxRetireFraction \(20%\); nothing was applied/);
    const humanBlocked = await w.cli(['sync']);
    expect(humanBlocked.code).toBe(4);
    expect(humanBlocked.stdout).toContain('Blocked: would retire 17 of 20');
    expect(writesSent()).toBe(0);

    // On a terminal the override still shows the plan and asks; "no" applies nothing.
    const tty = stoppableIo({ ...w.env, NO_COLOR: '1' }, { tty: true });
    tty.answer('no');
    const declined = await w.cli(['sync', '--allow-mass-retire'], { io: tty });
    expect(declined.stdout).toContain('Mass retirement allowed: would retire 17 of 20');
    expect(declined.stdout).not.toContain('Blocked');
    expect(declined.stdout).toContain('Apply this plan?');
    expect(declined.stdout).toContain('Cancelled: nothing was applied.');
    expect(writesSent()).toBe(0);

    const allowed = await w.cli(['sync', '--json', '--allow-mass-retire']);
    const a = JSON.parse(allowed.stdout) as SyncJson;
    expect(allowed.code).toBe(0);
    expect(a).toMatchObject({ status: 'ok', applied: { create: 8, retire: 17 }, massRetireAllowed: expect.stringMatching(/^would retire 17 of 20 .*applied because --allow-mass-retire was given$/) });
    expect(a.blocked).toBeUndefined();
    expect(w.managed()).toHaveLength(DEMO.cis + 8);
    expect(w.managed().filter((c) => c.install_status === '7')).toHaveLength(17);
    expect(w.servicenow.server.count('DELETE', '/api/now/table/cmdb_ci')).toBe(0);

    const status = JSON.parse((await w.cli(['status', '--json'])).stdout) as { runs: Array<{ status: string; notes: string[] }> };
    expect(status.runs[0]).toMatchObject({ status: 'ok', notes: expect.arrayContaining([expect.stringContaining('applied because --allow-mass-retire was given')]) });
    expect(status.runs.slice(1, 4).map((r) => r.status)).toEqual(['blocked', 'blocked', 'blocked']);
  });
});
