import type { CheckResult } from '../../src/engine/types';
import { SANDBOX_CREDENTIALS } from '../../connectors/sinks/servicenow/fixtures/sandbox';
import { startServiceNow, type ServiceNowFixture, type ServiceNowSetup } from './servicenow-setup';

const failed = (results: CheckResult[]) => results.filter((r) => !r.ok);

describe('ServiceNow sink check()', () => {
  let fx: ServiceNowFixture | undefined;
  afterEach(() => fx?.teardown());

  const run = async (setup: ServiceNowSetup) => {
    fx = await startServiceNow(setup);
    return fx.sink.check(fx.ctx());
  };

  it('passes on a complete instance, and names what it checked', async () => {
    const results = await run({});
    expect(failed(results)).toEqual([]);
    const names = results.map((r) => r.check);
    expect(names).toEqual(
      expect.arrayContaining([
        'credentials accepted',
        'discovery source "masync" is a choice of cmdb_ci.discovery_source',
        'class cmdb_ci_ai_model_deployment exists',
        'class cmdb_ci_appl_ai_application has the mapped columns',
        'relationship types exist in cmdb_rel_type',
      ]),
    );
  });

  it('points at the generic mapping when the AI classes are missing, which then passes', async () => {
    const results = await run({ emulator: { aiClasses: false } });
    const missing = failed(results);
    expect(missing.map((r) => r.check).sort()).toEqual(['class cmdb_ci_ai_model_deployment exists', 'class cmdb_ci_appl_ai_application exists']);
    expect(missing[0]?.hint).toContain('mapping: servicenow-generic');
    await fx?.teardown();
    expect(failed(await run({ emulator: { aiClasses: false }, mapping: 'servicenow-generic' }))).toEqual([]);
  });

  it('says how to add a missing discovery source choice', async () => {
    const [problem, ...rest] = failed(await run({ emulator: { discoverySourceChoice: false } }));
    expect(rest).toEqual([]);
    expect(problem?.check).toContain('discovery source "masync"');
    expect(problem?.hint).toMatch(/table cmdb_ci, element discovery_source, value "masync"/);
  });

  it('names missing custom columns with their type and length', async () => {
    const problems = failed(await run({ emulator: { omitColumns: ['u_ml_stage', 'u_ml_region'] } }));
    const byCheck = new Map(problems.map((p) => [p.check, p]));
    expect([...byCheck.keys()].sort()).toEqual(['class cmdb_ci_ai_model_deployment has the mapped columns', 'class cmdb_ci_appl_ai_application has the mapped columns']);
    expect(byCheck.get('class cmdb_ci_appl_ai_application has the mapped columns')?.hint).toContain('u_ml_stage (String, max length 40)');
    expect(byCheck.get('class cmdb_ci_ai_model_deployment has the mapped columns')?.hint).toContain('u_ml_region (String, max length 40)');
  });

  it('explains rejected basic credentials', async () => {
    const results = await run({ auth: { username: SANDBOX_CREDENTIALS.username, password: 'not-it-at-all' } });
    expect(results).toEqual([
      { check: expect.stringMatching(/reachable$/), ok: true },
      { check: 'credentials accepted', ok: false, detail: expect.stringContaining('401'), hint: expect.stringContaining('auth.username/password') },
    ]);
  });

  it('mentions the client-credentials property when the grant is refused', async () => {
    const results = await run({ auth: { clientId: SANDBOX_CREDENTIALS.clientId, clientSecret: SANDBOX_CREDENTIALS.clientSecret } });
    const creds = results.find((r) => r.check === 'credentials accepted');
    expect(creds?.ok).toBe(false);
    expect(creds?.hint).toContain('glide.oauth.inbound.client.credential.grant_type.enabled');
  });

  it('reports an unreachable instance and stops there', async () => {
    fx = await startServiceNow({ retries: 0 });
    await fx.emu.stop();
    const results = await fx.sink.check(fx.ctx());
    expect(results).toEqual([{ check: expect.stringMatching(/reachable$/), ok: false, detail: expect.stringContaining('ECONNREFUSED'), hint: expect.stringContaining('instance URL') }]);
  });

  it('says when the instance refuses the Batch API, and drops the check with writeApi: table', async () => {
    fx = await startServiceNow();
    fx.emu.setBatchApi('no-role');
    const problems = failed(await fx.sink.check(fx.ctx()));
    expect(problems).toEqual([expect.objectContaining({ check: 'Batch API accepted (writes are batched)', detail: expect.stringContaining('HTTP 403'), hint: expect.stringContaining('writeApi: table') })]);
    await fx.teardown();
    fx = await startServiceNow({ config: { writeApi: 'table' } });
    fx.emu.setBatchApi('no-role');
    const checks = await fx.sink.check(fx.ctx());
    expect(failed(checks)).toEqual([]);
    expect(checks.some((c) => c.check.includes('Batch API'))).toBe(false);
  });

  it('reports a user who may not read the CMDB', async () => {
    fx = await startServiceNow();
    fx.emu.denyTable('cmdb_ci');
    const problems = failed(await fx.sink.check(fx.ctx()));
    expect(problems).toEqual([expect.objectContaining({ check: 'read cmdb_ci', hint: expect.stringContaining('cmdb_read') })]);
  });
});
