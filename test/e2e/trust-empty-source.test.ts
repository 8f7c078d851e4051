import { DEMO, SOURCE, logLines, startWorld, type World } from '../support/sync-world';

interface SyncJson {
  status: string;
  planned: Record<string, number>;
  applied: Record<string, number>;
  notes: string[];
  held: Array<{ source: string; reason: string; detail: string }>;
  blocked?: string;
  massRetireAllowed?: string;
}

const DEMO_MODELS = ['fraud-detector', 'churn-predictor', 'credit-scoring', 'recommender', 'fraud^ORname=x'];
const SHORT = /source mlflow-trust returned 0 item\(s\), fewer than 50% of the 20 of its last trusted read; none of its records are retired this run \(if the registry really shrank, run once with --accept-short-read mlflow-trust\)/;

/** Issue 5: an empty answer from a source is not the news that everything was deleted. */
describe('a source that comes back empty', () => {
  let w: World;
  afterEach(() => w.stop());

  const retired = () => w.managed().filter((c) => c.install_status === '7');
  const guardWarnings = (stderr: string) => logLines(stderr).filter((l) => l.level === 'warn' && l.connector === SOURCE && SHORT.test(String(l.message)));

  it('retires nothing twice in a row, says so everywhere, and retires only when the operator accepts it (and allows the mass retirement)', async () => {
    w = await startWorld();
    expect((await w.cli(['sync', '--json'])).code).toBe(0);
    for (const m of DEMO_MODELS) w.mlflow.deleteModel(m);

    const human = await w.cli(['sync']);
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(SHORT);
    expect(human.stdout).toContain('Held back: 1 guard(s) kept retirements from happening this run (see the notes); the run is partial.');
    expect(human.stdout).toMatch(/run \S+: partial/);
    expect(guardWarnings(human.stderr)).toHaveLength(1);
    expect(retired()).toHaveLength(0);

    const again = await w.cli(['sync', '--json']);
    const j = JSON.parse(again.stdout) as SyncJson;
    expect(again.code).toBe(3);
    expect(j).toMatchObject({ status: 'partial', planned: { retire: 0 }, held: [{ source: SOURCE, reason: 'short-read', detail: expect.stringMatching(SHORT) }] });
    expect(j.notes.join('\n')).toMatch(SHORT);
    expect(guardWarnings(again.stderr)).toHaveLength(1);
    expect(retired()).toHaveLength(0);

    // Allowing a mass retirement does not accept a short read: still nothing retired, and still said why.
    const allowedOnly = JSON.parse((await w.cli(['sync', '--json', '--allow-mass-retire'])).stdout) as SyncJson;
    expect(allowedOnly).toMatchObject({ status: 'partial', planned: { retire: 0 }, held: [{ reason: 'short-read' }] });
    expect(retired()).toHaveLength(0);

    // Accepting the short read leaves the mass-retirement guard, and its message names both flags.
    const accepted = await w.cli(['sync', '--json', '--accept-short-read', SOURCE]);
    const a = JSON.parse(accepted.stdout) as SyncJson;
    expect(accepted.code).toBe(4);
    expect(a).toMatchObject({ status: 'blocked', planned: { retire: DEMO.cis }, applied: { retire: 0 }, held: [] });
    expect(a.blocked).toContain(`would retire ${DEMO.cis} of ${DEMO.cis} managed records in sink cmdb-trust`);
    expect(a.blocked).toContain(`Re-run with --accept-short-read ${SOURCE} --allow-mass-retire if that is intended`);
    expect(retired()).toHaveLength(0);

    const both = await w.cli(['sync', '--json', '--accept-short-read', SOURCE, '--allow-mass-retire']);
    const b = JSON.parse(both.stdout) as SyncJson;
    expect(both.code).toBe(0);
    expect(b).toMatchObject({ status: 'ok', applied: { retire: DEMO.cis }, massRetireAllowed: expect.stringContaining('applied because --allow-mass-retire was given') });
    expect(b.blocked).toBeUndefined();
    expect(retired()).toHaveLength(DEMO.cis);
    expect(w.managed()).toHaveLength(DEMO.cis);
    expect(w.servicenow.server.count('DELETE')).toBe(0);

    // The empty registry, accepted once, is the new baseline: no guard, nothing left to do.
    const after = JSON.parse((await w.cli(['sync', '--json'])).stdout) as SyncJson;
    expect(after).toMatchObject({ status: 'ok', held: [], planned: { create: 0, update: 0, retire: 0 } });
  });
});
