import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { loadMapping, resolveMappingPath } from '../../src/mapping/load';
import { ConfigError } from '../../src/errors';

describe('mapping files', () => {
  it('the built-in ServiceNow mapping is valid', () => {
    const m = loadMapping(resolveMappingPath('servicenow', '/nowhere'));
    expect(m.identity).toBe('correlation_id');
    expect(m.kinds.model_version?.relations[0]).toEqual({ to: 'versionOf', type: 'Contains::Contained by', role: 'child' });
  });

  it('a broken mapping names file, line, path and expectation', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-map-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 1\nidentity: correlation_id\nretired: { install_status: "7" }\nkinds:\n  model:\n    class: x\n    fields:\n      name: { from: name, value: "y" }\n');
    expect(() => loadMapping(file)).toThrow(ConfigError);
    expect(() => loadMapping(file)).toThrow(`${file}:8:13: kinds.model.fields.name: exactly one of from, value or template`);
  });
});
