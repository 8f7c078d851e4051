import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registry } from '../../connectors';
import { sageMakerSource } from '../../connectors/sources/sagemaker';
import { loadConfig } from '../../src/config/load';
import { ConfigError } from '../../src/errors';
import { Redactor } from '../../src/http/redact';
import { testDeps } from '../support/deps';

const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-sagemaker-config-'));
const schemas = { sourceSchemas: registry.sources.map((s) => s.schema), sinkSchemas: registry.sinks.map((s) => s.schema), enricherSchemas: registry.enrichers.map((s) => s.schema) };
const SINK = `
sinks:
  - name: cmdb
    type: servicenow
    instance: https://acme.service-now.com
    auth: { username: masync, password: "\${SN_PASSWORD}" }
`;

function load(sources: string, env: NodeJS.ProcessEnv = {}) {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `sources:\n${sources}${SINK}`);
  const redactor = new Redactor();
  return { redactor, load: () => loadConfig(file, { ...schemas, env: { SN_PASSWORD: 'sn-password-1', ...env }, redactor }) };
}

describe('sagemaker source config', () => {
  it('loads accounts, regions, an assumed role and ${ENV} credentials, and the source registers them as secrets', () => {
    const env = { AWS_KEY_ID: 'AKIACONFIGTEST000001', AWS_SECRET: 'config-test-secret-value-77', AWS_TOKEN: 'config-test-session-token-88' };
    const { load: run } = load(
      `  - name: sagemaker-prod
    type: sagemaker
    regions: [us-east-1, eu-west-1]
    accounts:
      - id: "111122223333"
      - id: "444455556666"
        roleArn: arn:aws:iam::444455556666:role/masync-reader
        externalId: masync-prod
        regions: [us-west-2]
    credentials:
      accessKeyId: \${AWS_KEY_ID}
      secretAccessKey: \${AWS_SECRET}
      sessionToken: \${AWS_TOKEN}
`,
      env,
    );
    const config = run().config.sources[0] as unknown as Parameters<typeof sageMakerSource.create>[0];
    expect(config).toMatchObject({ pageSize: 100, ownerTag: 'owner', http: { retries: 5 }, accounts: [{ id: '111122223333' }, { id: '444455556666', regions: ['us-west-2'] }] });
    const deps = testDeps();
    const source = sageMakerSource.create(config, deps);
    expect(source.scopeOfKey?.('sagemaker://444455556666/us-west-2/endpoints/e')).toBe('444455556666/us-west-2');
    expect(deps.redactor.redact(`${env.AWS_SECRET} ${env.AWS_TOKEN}`)).toBe('[REDACTED] [REDACTED]');
  });

  it('names the file, line and path of what is wrong', () => {
    const { load: run } = load(`  - name: sm
    type: sagemaker
    endpoint: http://key:secret@127.0.0.1:4566
    pageSize: 500
    accounts:
      - id: 111122223333
        roleArn: arn:aws:iam::999999999999:role/x
`);
    let err: unknown;
    try {
      run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toMatch(/:4:\d+: sources\[0\]\.endpoint: a URL without credentials/);
    expect(message).toMatch(/sources\[0\]\.pageSize: /);
    expect(message).toMatch(/sources\[0\]\.accounts\[0\]\.id: a 12-digit AWS account id, in quotes/);
  });
});
