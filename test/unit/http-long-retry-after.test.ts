import { startServiceNow, createWrite, modelItem, type ServiceNowFixture } from '../connectors/servicenow-setup';

const AI_PATH = '/api/now/table/cmdb_ci_appl_ai_application';

// The path the testers hit: the HTTP layer gave up on a long Retry-After with an error that
// looked transient, and the ServiceNow sink took it for an unknown outcome and sent the create again at once.
describe('a create refused with a Retry-After longer than maxRetryAfterSec', () => {
  let fx: ServiceNowFixture;
  afterEach(() => fx.teardown());

  it('fails, and the create is not sent again', async () => {
    fx = await startServiceNow();
    const write = createWrite(fx.sink, fx.mapping, modelItem('rate-limited'));
    fx.emu.server.faults.inject({ method: 'POST', path: AI_PATH, status: 429, headers: { 'Retry-After': '3600' }, body: { error: { message: 'Rate limit exceeded', detail: null }, status: 'failure' } });
    await expect(fx.sink.apply(write, fx.ctx())).rejects.toThrow(/server asks to wait 3600 s, more than the 120 s allowed/);
    expect(fx.emu.server.count('POST', AI_PATH)).toBe(1);
  });
});
