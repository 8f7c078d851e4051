import { jiraAssetsSandbox } from '../../connectors/sinks/jira-assets/sandbox';
import { servicenowSandbox } from '../../connectors/sinks/servicenow/sandbox';
import { mlflowSandbox } from '../../connectors/sources/mlflow/sandbox';
import { wandbSandbox } from '../../connectors/sources/wandb/sandbox';
import { startSandbox, type PartsOf, type Sandbox } from '../../src/sandbox/sandbox';
import { json, runCli } from './cli';

interface SyncJson {
  status: string;
  planned: Record<string, number>;
  applied: Record<string, number>;
  errors: string[];
}

/** Two sources into two sinks: MLflow's and W&B's demo registries, into ServiceNow and an empty Jira Assets workspace. */
const parts = { mlflow: mlflowSandbox, wandb: wandbSandbox, servicenow: servicenowSandbox, jiraAssets: jiraAssetsSandbox };

describe('MLflow and W&B into ServiceNow and Jira Assets', () => {
  let box: Sandbox<PartsOf<typeof parts>>;
  beforeAll(async () => {
    box = await startSandbox(parts);
  });
  afterAll(() => box.stop());

  // `init` takes the config as its file argument (or MASYNC_CONFIG), as `masync init --sink assets --apply-schema` documents.
  const applySchema = (...extra: string[]) => runCli(['init', '--sink', 'assets-sandbox', '--apply-schema', ...extra], { ...box.env, MASYNC_CONFIG: box.configFile });
  const schemaSize = () => {
    const c = box.parts.jiraAssets.emulator.catalog;
    return { schemas: c.schemas.size, types: c.types.size, attributes: c.attrs.size };
  };

  it('init --apply-schema: a dry run creates nothing, the first run creates the schema, a second creates nothing', async () => {
    const empty = schemaSize();
    const dry = await applySchema('--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^\+ would create object schema "ML Inventory"/m);
    expect(schemaSize()).toEqual(empty);

    const made = await applySchema();
    expect(made.code).toBe(0);
    const created = made.stdout.split('\n').filter((l) => l.startsWith('+ created')).length;
    expect(created).toBe(dry.stdout.split('\n').filter((l) => l.startsWith('+ would create')).length);
    const after = schemaSize();
    expect(after.schemas + after.types + after.attributes - (empty.schemas + empty.types + empty.attributes)).toBeGreaterThanOrEqual(created);

    const again = await applySchema();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to create: sink assets-sandbox has everything its mapping needs.');
    expect(again.stdout).not.toMatch(/^\+/m);
    expect(schemaSize()).toEqual(after);
  });

  it('one config, two sources, two sinks: the second sync writes nothing to either', async () => {
    expect((await applySchema()).code).toBe(0);
    const cli = (...args: string[]) => runCli([...args, '-c', box.configFile], box.env);
    const sinks = [box.parts.servicenow.view, box.parts.jiraAssets.view];

    const first = json<SyncJson>(await cli('sync', '--json'));
    expect(first).toMatchObject({ status: 'ok', errors: [] });
    // MLflow: 5 models, 15 versions; W&B: 8 collections, 7 versions; into each of the two sinks.
    expect(first.applied.create).toBe(2 * (5 + 15 + 8 + 7));
    expect(sinks.map((v) => v.record('mlflow://mlflow.sandbox/models/fraud-detector/versions/2')?.name)).toEqual(['fraud-detector v2', 'fraud-detector v2']);
    // A W&B version is related to its collection in both sinks (a cmdb_rel_ci row; a Model reference).
    expect(sinks.map((v) => (v.record('wandb://wandb.sandbox/ml-team/fraud/fraud-detector:v1')?.relations.length ?? 0) > 0)).toEqual([true, true]);

    const before = sinks.map((v) => v.writes());
    const second = json<SyncJson>(await cli('sync', '--json'));
    expect(second).toMatchObject({ status: 'ok', planned: { create: 0, update: 0, retire: 0, relate: 0, unrelate: 0, unchanged: first.applied.create } });
    expect(sinks.map((v) => v.writes())).toEqual(before);
  });
});
