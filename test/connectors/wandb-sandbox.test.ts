import { wandbSource } from '../../connectors/sources/wandb';
import { seedSandbox, seedScale, type WandbSeed } from '../../connectors/sources/wandb/fixtures/sandbox';
import { minimumCalls } from '../../connectors/sources/wandb/call-count';
import { wandbSandbox } from '../../connectors/sources/wandb/sandbox';
import { itemHash, type InventoryItem, type ModelVersionItem } from '../../src/inventory';
import { collect, testCtx, testDeps } from '../support/deps';
import { connect, emulator, modelOf, stopEmulators, versionOf } from './wandb-helpers';

afterEach(stopEmulators);

const versions = (items: InventoryItem[]) => items.filter((i): i is ModelVersionItem => i.kind === 'model_version');

describe('wandb sandbox', () => {
  it('the demo holds the edge cases the demo and the e2e tests rely on', async () => {
    let seed: WandbSeed | undefined;
    const emu = await emulator((e) => {
      seed = seedSandbox(e);
    });
    const { source, ctx } = connect(emu, { entity: seed?.entity, projects: seed?.projects, registries: { organization: seed?.organization }, pageSize: 2 });
    const items = await collect(source.list(ctx));

    expect(items.filter((i) => i.kind === 'model')).toHaveLength(seed?.models ?? -1);
    expect(versions(items)).toHaveLength(seed?.versions ?? -1);
    expect(new Set(items.map((i) => i.owner))).toEqual(new Set(['alice', 'bob', 'carol', 'dave']));
    expect(new Set(items.map((i) => i.costCenter).filter(Boolean))).toEqual(new Set(['Risk Analytics', 'Customer Growth']));
    // One version, linked into two registry collections: one item, both links.
    const linkedTwice = versionOf(items, 'ml-team/fraud/fraud-detector:v1');
    expect(linkedTwice.tags['wandb.links']?.split(', ')).toHaveLength(2);
    expect(linkedTwice.stage).toBe('Production');
    // The alias move candidate sits beside it in the same registry collection.
    expect(versionOf(items, 'ml-team/fraud/fraud-detector:v2').tags['wandb.links']).toBe('acme-org/wandb-registry-model/fraud-detection:v1');
    expect(modelOf(items, 'ml-team/scratch/quick-model').tags['wandb.coverage']).toBe('linked versions only');
    expect(new Set(versions(items).map((v) => v.stage ?? 'none'))).toEqual(new Set(['Production', 'none']));
    expect(versions(items).filter((v) => v.datasets.length > 0)).toHaveLength(3);
  });

  it('hands the sandbox a running emulator and a config entry that reads it', async () => {
    const part = await wandbSandbox({});
    try {
      const raw = JSON.parse(JSON.stringify(part.config).replace('${MASYNC_SANDBOX_WANDB_API_KEY}', part.env.MASYNC_SANDBOX_WANDB_API_KEY ?? '')) as unknown;
      const deps = testDeps();
      const source = wandbSource.create(wandbSource.schema.parse(raw), deps);
      const items = await collect(source.list(testCtx(deps)));
      expect(items).toHaveLength(15);
      expect(items.every((i) => i.key.startsWith('wandb://wandb.sandbox/'))).toBe(true);
      expect(part.describe).toContain('8 models, 7 versions');
      expect(part.server.count('POST', '/graphql')).toBeGreaterThan(0);
    } finally {
      await part.stop();
    }
  });

  it('the scale seed is deterministic and sized as asked', async () => {
    const read = async () => {
      const emu = await emulator((e) => void seedScale(e, { models: 30, versionsPerModel: 3 }));
      const { source, ctx } = connect(emu, { entity: 'bench', projects: ['bulk'], namespace: 'bench', uiUrl: 'https://wandb.example.com' });
      return collect(source.list(ctx));
    };
    const [a, b] = [await read(), await read()];
    expect(a).toHaveLength(30 + 90);
    expect(a.map(itemHash).sort()).toEqual(b.map(itemHash).sort());
    expect(versions(a).filter((v) => v.stage === 'Production')).toHaveLength(30);
    expect(versions(a).filter((v) => v.stage === 'Staging')).toHaveLength(30);
  });

  it('reads 1,000 versions in 250 collections with the minimum calls: three', async () => {
    const emu = await emulator((e) => void seedScale(e, { models: 250, versionsPerModel: 4 }));
    const { source, ctx } = connect(emu, { entity: 'bench', projects: ['bulk'] });
    expect(versions(await collect(source.list(ctx)))).toHaveLength(1000);
    expect(emu.server.requests).toHaveLength(minimumCalls({ scopes: [Array.from({ length: 250 }, () => 4)], pageSize: 100 }));
    expect(emu.server.requests).toHaveLength(3);
  });
});
