import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryIo } from '../support/cli-io';
import { run } from '../../src/cli/main';
import { packageRoot } from '../../src/config/package-root';
import { ConfigError } from '../../src/errors';
import { loadMapping } from '../../src/mapping/load';

const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A mapping file whose `kinds:` section is `kinds` (indented YAML lines). */
function mappingFile(name: string, kinds: string): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, `version: 1\nidentity: correlation_id\nretired: { install_status: "7" }\nkinds:\n${kinds}`);
  return file;
}

function loadError(file: string): string {
  try {
    loadMapping(file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`${file} loaded`);
}

describe('mapping paths are checked against the inventory schemas', () => {
  it('a typo in from: names file, line, column, YAML path and the nearest valid path', () => {
    const file = mappingFile('typo', '  model:\n    class: x\n    fields:\n      name: { from: name }\n      short_description: { from: descriptoin, maxLength: 1000 }\n');
    expect(loadError(file)).toBe(`${file}:9:34: kinds.model.fields.short_description.from: "descriptoin" is not a field of a model item; did you mean "description"?`);
  });

  it('accepts any key below a map, enrichment fields, and the attributes spelling', () => {
    const file = mappingFile(
      'maps',
      [
        '  model_version:',
        '    objectType: ML Model Version',
        '    attributes:',
        '      Team: { from: tags.anything }',
        '      User: { from: tags.mlflow.user }',
        '      AUC: { from: metrics.x }',
        '      UI: { from: links.ui }',
        '      Calls: { from: usage.invocations }',
        '      Monthly: { template: "{cost.monthly} {cost.currency}" }',
        '      Findings: { from: findings, format: json }',
        '',
      ].join('\n'),
    );
    expect(Object.keys(loadMapping(file).kinds.model_version?.fields ?? {})).toEqual(['Team', 'User', 'AUC', 'UI', 'Calls', 'Monthly', 'Findings']);
  });

  it('checks each kind against its own schema and speaks the spelling the file uses', () => {
    const file = mappingFile('kind', '  model:\n    objectType: ML Model\n    attributes:\n      Run: { from: runId }\n');
    expect(loadError(file)).toBe(`${file}:8:20: kinds.model.attributes.Run.from: "runId" is not a field of a model item (its fields: key, source, name, observedAt, tags.<key>, links.<key>, description, owner, costCenter, createdAt, updatedAt, usage, cost, findings, kind, aliases.<key>, latestVersions.<key>)`);
  });

  it('a template placeholder typo is rejected', () => {
    const file = mappingFile('template', '  model_version:\n    class: x\n    fields:\n      name: { template: "{name} v{versoin}" }\n');
    expect(loadError(file)).toBe(`${file}:8:25: kinds.model_version.fields.name.template: placeholder {versoin} is not a field of a model_version item; did you mean "version"?`);
  });

  it('a relation to: must name a field holding a key or keys', () => {
    const file = mappingFile(
      'relation',
      [
        '  model_version:',
        '    class: x',
        '    fields: { name: { from: name } }',
        '    relations:',
        '      - { to: versionof, type: "Contains::Contained by", role: child }',
        '      - { to: metrics, type: "Uses::Used by", role: child }',
        '  deployment:',
        '    class: y',
        '    fields: { name: { from: name } }',
        '    relations:',
        '      - { to: serves, type: "Depends on::Used by", role: parent }',
        '',
      ].join('\n'),
    );
    expect(loadError(file)).toBe(
      [
        `${file}:9:15: kinds.model_version.relations[0].to: "versionof" is not a field of a model_version item; did you mean "versionOf"?`,
        `  ${file}:10:15: kinds.model_version.relations[1].to: "metrics" holds neither an item key nor a list of keys, so a relation cannot point with it`,
      ].join('\n'),
    );
  });

  it('explains a path that goes below a list, and lists the fields when nothing is near', () => {
    const file = mappingFile('far', '  model_version:\n    class: x\n    fields:\n      d: { from: datasets.name }\n      q: { from: qqqqqqqq }\n');
    const [below, far] = loadError(file).split('\n');
    expect(below).toBe(`${file}:8:18: kinds.model_version.fields.d.from: "datasets.name" is not a field of a model_version item: "datasets" has nothing below it (a list or a value is read whole)`);
    expect(far).toContain(`${file}:9:18: kinds.model_version.fields.q.from: "qqqqqqqq" is not a field of a model_version item (its fields: key, source, name, observedAt, tags.<key>, links.<key>,`);
  });

  it('every shipped mapping loads', () => {
    const shipped = readdirSync(path.join(packageRoot(), 'mappings')).filter((f) => f.endsWith('.yaml'));
    expect(shipped.length).toBeGreaterThan(0);
    for (const f of shipped) expect(() => loadMapping(path.join(packageRoot(), 'mappings', f))).not.toThrow();
  });
});

describe('commands refuse a mapping with an unknown path', () => {
  it.each(['doctor', 'plan', 'sync'])('masync %s exits 78 naming the path', async (command) => {
    const mapping = mappingFile('cli', '  model:\n    class: x\n    fields:\n      short_description: { from: descriptoin }\n');
    const config = path.join(dir, 'masync.yaml');
    writeFileSync(
      config,
      [
        'sources: [{ name: mlflow, type: mlflow, url: "http://127.0.0.1:9" }]',
        `sinks: [{ name: cmdb, type: servicenow, instance: "http://127.0.0.1:9", auth: { username: u, password: "\${SN_PASSWORD}" }, mapping: ${mapping} }]`,
        '',
      ].join('\n'),
    );
    const io = memoryIo({ SN_PASSWORD: 'p' });
    expect(await run(['node', 'masync', command, '-c', config], io)).toBe(78);
    expect(io.err()).toContain(`${mapping}:8:34: kinds.model.fields.short_description.from: "descriptoin" is not a field of a model item; did you mean "description"?`);
  });
});
