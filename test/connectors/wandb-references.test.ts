import { collect } from '../support/deps';
import { connect, emulator, stopEmulators, versionOf } from './wandb-helpers';

afterEach(stopEmulators);

/** How a SageMaker deployment that names a W&B artifact (an env entry or tag `wandb.artifact`) finds the version it serves. */
describe('wandb source: artifact references', () => {
  it('names a version by its path, an alias it holds, and every registry collection it is linked into; nothing else', async () => {
    const emu = await emulator((e) => {
      const v0 = e.logArtifact({ collection: 'acme/fraud/detector', user: 'bob' });
      e.logArtifact({ collection: 'acme/fraud/detector', user: 'bob', aliases: ['candidate'] });
      e.addRegistry('acme-corp', 'acme-corp-org', 'model');
      e.link(v0, 'acme-corp-org/wandb-registry-model/fraud-detection', ['production']);
    });
    const { source, ctx } = connect(emu, { projects: ['fraud'], registries: { organization: 'acme-corp' } });
    expect(source.keyOfReference?.('acme/fraud/detector:v0')).toBeUndefined(); // nothing read yet
    const items = await collect(source.list(ctx));
    const v0 = versionOf(items, 'acme/fraud/detector:v0').key;
    const v1 = versionOf(items, 'acme/fraud/detector:v1').key;
    const keyOf = (ref: string) => source.keyOfReference?.(ref);

    expect(keyOf('wandb-artifact://acme/fraud/detector:v0')).toBe(v0);
    expect(keyOf('wandb-artifact:///acme/fraud/detector:v1')).toBe(v1);
    expect(keyOf(' acme/fraud/detector:v1 ')).toBe(v1);
    expect(keyOf('acme/fraud/detector:candidate')).toBe(v1);
    expect(keyOf('acme/fraud/detector:latest')).toBe(v1);
    expect(keyOf('acme-corp-org/wandb-registry-model/fraud-detection:v0')).toBe(v0);
    expect(keyOf('wandb-artifact://acme-corp-org/wandb-registry-model/fraud-detection:production')).toBe(v0);

    for (const other of ['acme/fraud/detector:v7', 'acme/fraud/other:v0', 'models:/detector/1', 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/fraud/1', 'fraud/detector:v0', 'wandb-artifact://acme/fraud/detector']) {
      expect(keyOf(other)).toBeUndefined();
    }
  });

  it('follows an alias to the version holding it at the last read', async () => {
    const emu = await emulator((e) => {
      e.logArtifact({ collection: 'acme/fraud/detector', user: 'bob', aliases: ['production'] });
      e.logArtifact({ collection: 'acme/fraud/detector', user: 'bob' });
    });
    const { source, ctx } = connect(emu, { projects: ['fraud'] });
    const before = await collect(source.list(ctx));
    expect(source.keyOfReference?.('acme/fraud/detector:production')).toBe(versionOf(before, 'acme/fraud/detector:v0').key);
    emu.setAlias('acme/fraud/detector:v1', 'production');
    const after = await collect(source.list(ctx));
    expect(source.keyOfReference?.('acme/fraud/detector:production')).toBe(versionOf(after, 'acme/fraud/detector:v1').key);
  });
});
