import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registry } from '../../connectors';
import { loadConfig } from '../../src/config/load';
import { ConfigError } from '../../src/errors';
import { Redactor } from '../../src/http/redact';
import { configJsonSchema } from '../../src/cli/schema';

const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-config-'));
const schemas = { sourceSchemas: registry.sources.map((s) => s.schema), sinkSchemas: registry.sinks.map((s) => s.schema), enricherSchemas: registry.enrichers.map((s) => s.schema) };

function load(yaml: string, env: NodeJS.ProcessEnv = {}, redactor = new Redactor()) {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return { file, result: () => loadConfig(file, { ...schemas, env, redactor }) };
}

const VALID = `
state: { path: state/masync.db }
schedule: "*/10 * * * *"
sources:
  - name: mlflow-prod
    type: mlflow
    url: https://mlflow.example.com
    auth:
      token: \${MLFLOW_TOKEN}
sinks:
  - name: cmdb
    type: servicenow
    instance: https://acme.service-now.com
    auth:
      username: masync
      password: "\${SN_PASSWORD}"
`;

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config loading', () => {
  it('loads a valid file, applies defaults, resolves paths and registers secrets', () => {
    const redactor = new Redactor();
    const { file, result } = load(VALID, { MLFLOW_TOKEN: 'tok-123456', SN_PASSWORD: 'pw-abcdef' }, redactor);
    const loaded = result();
    expect(loaded.statePath).toBe(path.join(path.dirname(file), 'state/masync.db'));
    expect(loaded.config.guard).toEqual({ maxRetireFraction: 0.2, minFractionOfLastRun: 0.5, maxMissingFraction: 0.05 });
    expect(loaded.config.sources[0]).toMatchObject({ name: 'mlflow-prod', type: 'mlflow', auth: { token: 'tok-123456' } });
    expect(redactor.redact('tok-123456 and pw-abcdef')).toBe('[REDACTED] and [REDACTED]');
  });

  it('names the file, line, path and variable when an environment variable is missing', () => {
    const { file, result } = load(VALID, { MLFLOW_TOKEN: 'x' });
    expect(errorOf(result).message).toBe(`${file}:16:17: sinks[0].auth.password: environment variable SN_PASSWORD is not set`);
  });

  it('reads ${file:…} secrets relative to the config file', () => {
    writeFileSync(path.join(dir, 'sn-password'), 'from-a-file\n');
    const { result } = load(VALID.replace('${SN_PASSWORD}', '${file:sn-password}'), { MLFLOW_TOKEN: 'x' });
    expect(result().config.sinks[0]).toMatchObject({ auth: { password: 'from-a-file' } });
  });

  it('explains an unknown connector type, an unknown key and a bad value, all at once', () => {
    const bad = VALID.replace('type: mlflow', 'type: mlfow').replace('instance: https://acme.service-now.com', 'instance: acme\n    colour: blue');
    const { file, result } = load(bad, { MLFLOW_TOKEN: 'x', SN_PASSWORD: 'y' });
    const message = errorOf(result).message;
    expect(message).toContain(`${file}:6:11: sources[0].type: a source type: one of mlflow`);
    expect(message).toMatch(new RegExp(`${file}:\\d+:\\d+: sinks\\[0\\]\\.instance: an http\\(s\\) URL`));
    expect(message).toContain('sinks[0]: unknown key "colour"');
  });

  it('applies the HTTP defaults, rate-limit budget included', () => {
    const { result } = load(VALID, { MLFLOW_TOKEN: 'x', SN_PASSWORD: 'y' });
    expect(result().config.sinks[0]).toMatchObject({ http: { timeoutMs: 30_000, concurrency: 4, retries: 5, maxRetryAfterSec: 120, rateLimitWaitSec: 300 } });
  });

  it.each([
    ['a sink instance', VALID.replace('instance: https://acme.service-now.com', 'instance: https://admin:pw-in-url@acme.service-now.com'), 13, 15, 'sinks[0].instance'],
    ['an MLflow uiUrl', VALID.replace('url: https://mlflow.example.com', 'url: https://mlflow.example.com\n    uiUrl: https://viewer:pw-in-url@mlflow-ui.example.com'), 8, 12, 'sources[0].uiUrl'],
    ['an MLflow url', VALID.replace('url: https://mlflow.example.com', 'url: http://svc:pw-in-url@mlflow.example.com'), 7, 10, 'sources[0].url'],
  ])('rejects credentials in %s, naming file, line and path, and never echoing them', (_label, yaml, line, column, at) => {
    const { file, result } = load(yaml, { MLFLOW_TOKEN: 'x', SN_PASSWORD: 'y' });
    const message = errorOf(result).message;
    expect(message).toBe(`${file}:${line}:${column}: ${at}: a URL without credentials (they belong in the connector credential keys, which are redacted)`);
    expect(message).not.toContain('pw-in-url');
  });

  it('rejects duplicate names and a bad cron schedule', () => {
    const dup = VALID.replace('name: cmdb', 'name: mlflow-prod').replace('"*/10 * * * *"', '"every tuesday"');
    const { result } = load(dup, { MLFLOW_TOKEN: 'x', SN_PASSWORD: 'y' });
    const message = errorOf(result).message;
    expect(message).toContain('schedule: a cron expression');
    expect(message).not.toContain('unique name'); // names are unique per list: a source and a sink may share one
  });

  it('rejects two sources with one name', () => {
    const two = VALID.replace('sinks:', `  - name: mlflow-prod\n    type: mlflow\n    url: https://other.example.com\nsinks:`);
    const { result } = load(two, { MLFLOW_TOKEN: 'x', SN_PASSWORD: 'y' });
    expect(errorOf(result).message).toContain('sources[1].name: a unique name ("mlflow-prod" is also used at [0])');
  });

  it('reports invalid YAML with its position', () => {
    const { file, result } = load('sources: [\n  {name: x\n');
    expect(errorOf(result).message).toMatch(new RegExp(`^${file}:\\d+:\\d+: invalid YAML`));
  });

  it('the example config is valid', () => {
    const example = readFileSync(path.join(__dirname, '../../config/masync.example.yaml'), 'utf8');
    const { result } = load(example, { MLFLOW_TRACKING_TOKEN: 't', SN_USERNAME: 'u', SN_PASSWORD: 'p' });
    expect(result().config.sinks[0]).toMatchObject({ type: 'servicenow', discoverySource: 'masync', mapping: 'servicenow' });
  });

  it("the example's commented policies block is valid once uncommented", () => {
    const example = readFileSync(path.join(__dirname, '../../config/masync.example.yaml'), 'utf8');
    const block = example.slice(example.indexOf('# policies:')).split('\n').filter((l) => l.startsWith('# ')).map((l) => l.slice(2));
    const { result } = load(`${example}\n${block.join('\n')}\n`, { MLFLOW_TRACKING_TOKEN: 't', SN_USERNAME: 'u', SN_PASSWORD: 'p' });
    expect(result().config.policies).toMatchObject({ retirementCandidate: { enabled: true, models: { 'fraud-detector': { auc: 0.85 } } }, stale: { enabled: true, maxAgeDays: 180 } });
  });

  it('the shipped JSON Schema is the one the zod schemas generate', () => {
    const shipped = JSON.parse(readFileSync(path.join(__dirname, '../../config/masync.schema.json'), 'utf8')) as unknown;
    expect(shipped).toEqual(configJsonSchema(registry));
  });
});
