import { evaluateMapping, lookupPath } from '../../src/mapping/evaluate';
import { mappingSchema } from '../../src/mapping/schema';
import { version } from '../support/memory';

const mapping = mappingSchema.parse({
  version: 1,
  identity: 'ext',
  retired: { status: 'retired' },
  kinds: {
    model_version: {
      class: 'ci',
      fields: {
        name: { template: '{name} v{version}' },
        stage: { from: 'stage', default: 'None' },
        team: { from: 'tags.team' },
        user: { from: 'tags.mlflow.user' },
        metrics: { from: 'metrics', format: 'pairs' },
        datasets: { from: 'datasets', format: 'json' },
        aliases: { from: 'aliases', format: 'join' },
        short: { from: 'description', maxLength: 5 },
        owner: { from: 'owner', authority: 'sink', lookup: { table: 'sys_user', match: ['user_name'] } },
      },
      relations: [{ to: 'versionOf', type: 'Contains', role: 'child' }],
    },
  },
});

describe('mapping evaluation', () => {
  it('computes every field as text, with defaults, formats and cuts', () => {
    const item = version('reg', 'fraud', '3', {
      tags: { team: 'risk', 'mlflow.user': 'alice' },
      metrics: { auc: 0.93, f1: 0.8 },
      datasets: [{ name: 'train', digest: 'abc' }],
      aliases: ['champion', 'prod'],
      description: 'Flags fraud',
      owner: 'alice',
    });
    const rec = evaluateMapping(mapping, item);
    expect(rec?.fields).toEqual({
      name: 'fraud v3',
      stage: 'None',
      team: 'risk',
      user: 'alice',
      metrics: 'auc=0.93, f1=0.8',
      datasets: '[{"digest":"abc","name":"train"}]',
      aliases: 'champion, prod',
      short: 'Flag…',
      owner: 'alice',
    });
    expect(rec?.sinkAuthoritative).toEqual(['owner']);
    expect(rec?.lookups).toEqual({ owner: { table: 'sys_user', match: ['user_name'] } });
    expect(rec?.relations).toEqual([{ type: 'Contains', targetKey: 'mem://reg/models/fraud', role: 'child' }]);
  });

  it('writes empty text for missing values and empty collections', () => {
    const rec = evaluateMapping(mapping, version('reg', 'm', '1'));
    expect(rec?.fields).toMatchObject({ team: '', metrics: '', datasets: '', aliases: '', short: '' });
  });

  it('skips kinds the mapping does not map', () => {
    expect(evaluateMapping(mapping, { ...version('reg', 'm', '1'), kind: 'model' } as never)).toBeUndefined();
  });

  it('reads map keys that contain dots', () => {
    expect(lookupPath({ tags: { 'a.b.c': 'x', a: { b: 'nested' } } }, 'tags.a.b.c')).toBe('x');
    expect(lookupPath({ tags: { a: { b: 'nested' } } }, 'tags.a.b')).toBe('nested');
    expect(lookupPath({ tags: {} }, 'tags.missing')).toBeUndefined();
  });
});
