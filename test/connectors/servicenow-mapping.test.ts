import { servicenowSink } from '../../connectors/sinks/servicenow';
import { ConfigError } from '../../src/errors';
import { loadMapping, resolveMappingPath } from '../../src/mapping/load';
import type { FieldSpec, KindMapping, Mapping } from '../../src/mapping/schema';
import { testDeps } from '../support/deps';

const config = servicenowSink.schema.parse({ name: 'snow', type: 'servicenow', instance: 'https://acme.service-now.com', auth: { username: 'u', password: 'p' }, mapping: 'custom.yaml' });
const base = loadMapping(resolveMappingPath('servicenow', '/'));
const build = (mapping: Mapping) => () => servicenowSink.create(config, mapping, testDeps());
const plain = { format: 'auto', authority: 'source' } as const;

/** The built-in mapping with one more field on models. */
function withModelField(name: string, spec: FieldSpec): Mapping {
  const model = base.kinds.model as KindMapping;
  return { ...base, kinds: { ...base.kinds, model: { ...model, fields: { ...model.fields, [name]: spec } } } };
}

describe('ServiceNow mapping: names that go into URLs and queries', () => {
  it('accepts the built-in mappings', () => {
    expect(build(base)).not.toThrow();
    expect(build(loadMapping(resolveMappingPath('servicenow-generic', '/')))).not.toThrow();
  });

  it.each([
    ['a field name with a space', withModelField('Owner Name', { from: 'owner', ...plain }), 'kinds.model.fields["Owner Name"]'],
    ['a field name that would add a query condition', withModelField('name^ORname', { value: 'x', ...plain }), 'kinds.model.fields["name^ORname"]'],
    ['an identity field in capitals', { ...base, identity: 'Correlation_ID' }, 'identity'],
    ['a retired field with a comma', { ...base, retired: { 'install_status,name': '7' } }, 'retired.install_status,name'],
    ['a lookup match field with a dot', withModelField('owned_by', { from: 'owner', ...plain, lookup: { table: 'sys_user', match: ['user_name', 'manager.email'] } }), 'kinds.model.fields["owned_by"].lookup.match[1]'],
  ])('rejects %s, naming the file and the path', (_label, mapping, path) => {
    let err: unknown;
    try {
      build(mapping)();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(`custom.yaml: ${path}:`);
    expect((err as Error).message).toContain('is not a ServiceNow column name');
  });
});
