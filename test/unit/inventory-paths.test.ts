import { deploymentSchema, ITEM_KINDS, modelSchema, modelVersionSchema } from '../../src/inventory';
import { closestItemPath, itemPaths, itemPathValue, type PathValue } from '../../src/inventory/paths';

const holdsKeys = (v: PathValue) => v === 'string' || v === 'strings';

describe('item paths derived from the inventory schemas', () => {
  it('every field of every kind schema is a path, enrichment included', () => {
    const schemas = { model: modelSchema, model_version: modelVersionSchema, deployment: deploymentSchema };
    for (const kind of ITEM_KINDS) {
      const paths = itemPaths(kind).map((p) => p.path);
      expect(paths).toEqual(expect.arrayContaining(Object.keys(schemas[kind].shape)));
      expect(paths).toEqual(expect.arrayContaining(['usage.invocations', 'usage.daily', 'cost.monthly', 'cost.currency', 'findings']));
    }
  });

  it('reads fields the way the evaluator does: maps take any key, dots included; lists are read whole', () => {
    expect(itemPathValue('model_version', 'description')).toBe('string');
    expect(itemPathValue('model_version', 'tags.team')).toBe('string');
    expect(itemPathValue('model_version', 'tags.mlflow.user')).toBe('string');
    expect(itemPathValue('model_version', 'links.ui')).toBe('string');
    expect(itemPathValue('model_version', 'metrics.auc')).toBe('other');
    expect(itemPathValue('model_version', 'datasets')).toBe('other');
    expect(itemPathValue('model_version', 'aliases')).toBe('strings');
    expect(itemPathValue('model', 'aliases')).toBe('other');
    expect(itemPathValue('deployment', 'serves')).toBe('strings');
    expect(itemPathValue('deployment', 'variants')).toBe('other');
    expect(itemPathValue('deployment', 'usage.invocations')).toBe('other');
    for (const path of ['descriptoin', 'datasets.name', 'name.first', 'usage.invocatons', '']) {
      expect({ path, value: itemPathValue('model_version', path) }).toEqual({ path, value: undefined });
    }
  });

  it('checks each kind against its own schema', () => {
    expect(itemPathValue('model_version', 'versionOf')).toBe('string');
    expect(itemPathValue('model', 'versionOf')).toBeUndefined();
    expect(itemPathValue('model', 'metrics.auc')).toBeUndefined();
    expect(itemPathValue('deployment', 'instanceType')).toBe('string');
    expect(itemPathValue('deployment', 'variants.servesVersionKey')).toBeUndefined();
  });

  it('suggests the nearest valid path, keeping a key typed below a map', () => {
    expect(closestItemPath('model', 'descriptoin')).toBe('description');
    expect(closestItemPath('model', 'costcenter')).toBe('costCenter');
    expect(closestItemPath('model_version', 'tag.team')).toBe('tags.team');
    expect(closestItemPath('model_version', 'metric.auc')).toBe('metrics.auc');
    expect(closestItemPath('deployment', 'usage.invocatons')).toBe('usage.invocations');
    expect(closestItemPath('model', 'zzzzzz')).toBeUndefined();
  });

  it('narrows suggestions to the paths a caller accepts', () => {
    expect(closestItemPath('deployment', 'serve', holdsKeys)).toBe('serves');
    expect(closestItemPath('model_version', 'metrcs', holdsKeys)).toBeUndefined();
    expect(closestItemPath('model_version', 'metrcs')).toBe('metrics');
  });
});
