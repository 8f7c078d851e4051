import { seedBulk, seedSandbox } from '../../connectors/sources/mlflow/fixtures/sandbox';
import { itemHash, type InventoryItem, type ModelVersionItem } from '../../src/inventory';
import { collect } from '../support/deps';
import { connect, emulator, stopEmulators } from './mlflow-helpers';

afterEach(stopEmulators);

const versions = (items: InventoryItem[]) => items.filter((i): i is ModelVersionItem => i.kind === 'model_version');

describe('mlflow sandbox fixtures', () => {
  it('the demo registry holds the edge cases the demo and e2e tests rely on', async () => {
    let summary = { models: 0, versions: 0 };
    const emu = await emulator((e) => {
      summary = seedSandbox(e);
    });
    const { source, ctx, deps } = connect(emu, { pageSize: 3 });
    const items = await collect(source.list(ctx));
    const models = items.filter((i) => i.kind === 'model');

    expect(models).toHaveLength(summary.models);
    expect(versions(items)).toHaveLength(summary.versions);
    expect(models.map((m) => m.name)).toContain('fraud^ORname=x');
    expect(new Set(items.map((i) => i.owner))).toEqual(new Set(['alice', 'bob', 'bob@example.com', 'carol', 'carol@example.com', 'dave']));
    expect(new Set(items.map((i) => i.costCenter))).toEqual(new Set(['Risk Analytics', 'Customer Growth', 'Platform']));
    expect(new Set(versions(items).map((v) => v.stage ?? 'None'))).toEqual(new Set(['None', 'Staging', 'Production', 'Archived']));
    expect(new Set(versions(items).flatMap((v) => v.aliases))).toEqual(new Set(['champion', 'challenger']));
    expect(new Set(versions(items).flatMap((v) => v.datasets.map((d) => d.context)))).toEqual(new Set(['train', 'eval']));

    expect(versions(items).filter((v) => v.runId === undefined)).toHaveLength(1);
    expect(deps.logger.lines.filter((l) => l.startsWith('warn') && l.includes('no longer exists'))).toHaveLength(1);
    const unowned = models.find((m) => m.tags.owner === undefined);
    expect(unowned?.owner).toBeDefined();
  });

  it('the bulk generator is deterministic and sized as asked', async () => {
    const read = async () => {
      const emu = await emulator((e) => seedBulk(e, { models: 4, versionsPerModel: 3 }));
      const { source, ctx } = connect(emu, { namespace: 'bench', uiUrl: 'https://mlflow.example.com' });
      return collect(source.list(ctx));
    };
    const [a, b] = [await read(), await read()];
    expect(a).toHaveLength(4 + 4 * 3);
    expect(a.map(itemHash).sort()).toEqual(b.map(itemHash).sort());
    expect(versions(a).filter((v) => v.stage === 'Production' && v.aliases.includes('champion'))).toHaveLength(4);
  });
});
