import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { journal } from '../support/state-file';
import { startWorld, type World } from '../support/sync-world';

interface SyncJson {
  status: string;
  planned: Record<string, number>;
  applied: Record<string, number>;
  errors: string[];
}

interface PlanFileJson {
  plan: { ops: Array<{ op: string; key: string }>; summary: Record<string, number> };
}

/** Issue 5: the plan a person approved is the plan that is applied, or nothing is. */
describe('a saved plan (plan --out, sync --plan)', () => {
  let w: World;
  afterEach(() => w.stop());

  const planFile = () => path.join(w.dir, 'plan.json');
  const savePlan = async () => {
    const r = await w.cli(['plan', '--out', planFile()]);
    expect(r.code).toBe(0);
    return JSON.parse(readFileSync(planFile(), 'utf8')) as PlanFileJson;
  };
  const applyPlan = async () => {
    const r = await w.cli(['sync', '--json', '--plan', planFile()]);
    return { code: r.code, json: JSON.parse(r.stdout) as SyncJson };
  };
  const writes = () => ['POST', 'PATCH', 'DELETE'].reduce((n, m) => n + w.servicenow.server.count(m, '/api/now/'), 0);

  async function expectRefused(why: RegExp): Promise<void> {
    const before = writes();
    const r = await applyPlan();
    expect(r.code).toBe(1);
    expect(r.json.status).toBe('failed');
    expect(r.json.errors).toEqual([expect.stringMatching(why)]);
    expect(r.json.errors[0]).toContain('run `masync plan --out FILE` again and review it');
    expect(writes()).toBe(before);
  }

  it('is applied exactly as saved, and refused when the source, the sink or the config changed since', async () => {
    w = await startWorld();
    await w.cli(['sync', '--json']);
    w.mlflow.transitionStage('recommender', '3', 'Production');

    const saved = await savePlan();
    expect(statSync(planFile()).mode & 0o777).toBe(0o600);
    expect(readFileSync(planFile(), 'utf8')).not.toContain(w.env.MASYNC_TRUST_SN_PASSWORD);
    expect(saved.plan.ops.map((o) => `${o.op} ${o.key}`)).toEqual(['update mlflow://mlflow.trust/models/recommender/versions/3']);
    const applied = await applyPlan();
    expect(applied.code).toBe(0);
    expect(applied.json).toMatchObject({ status: 'ok', planned: saved.plan.summary, applied: { update: 1 } });
    const last = journal(w.statePath).reduce((n, j) => Math.max(n, j.run), 0);
    expect(journal(w.statePath).filter((j) => j.run === last).map((j) => `${j.op} ${j.key}`)).toEqual(saved.plan.ops.map((o) => `${o.op} ${o.key}`));

    w.mlflow.transitionStage('churn-predictor', '1', 'Staging');
    await savePlan();
    w.mlflow.transitionStage('credit-scoring', '1', 'Staging');
    await expectRefused(/^saved plan is stale: source mlflow-trust changed since; the plan was made at /);

    await savePlan();
    const ci = w.managed().find((c) => c.correlation_id === 'mlflow://mlflow.trust/models/churn-predictor') as { sys_id: string };
    w.servicenow.setField('cmdb_ci', ci.sys_id, 'short_description', 'Edited by a person after the plan was reviewed');
    await expectRefused(/^saved plan is stale: sink cmdb-trust changed since; /);

    await savePlan();
    w.configure({ guard: { maxRetireFraction: 0.5 } });
    await expectRefused(/^saved plan is stale: the config or a mapping changed since; /);

    // Made again from what is there now, it applies.
    await savePlan();
    expect((await applyPlan()).json.status).toBe('ok');
  });
});
