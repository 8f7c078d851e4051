import { jiraAssetsSink } from '../../connectors/sinks/jira-assets';
import { collect } from '../support/deps';
import { createWrite, modelItem, startJira, stopJira } from './jira-setup';

afterEach(stopJira);

const parse = (extra: Record<string, unknown>) => jiraAssetsSink.schema.safeParse({ name: 'assets', type: 'jira-assets', ...extra });
const problems = (extra: Record<string, unknown>) => {
  const r = parse(extra);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('Jira Assets config', () => {
  const cloud = { deployment: 'cloud', site: 'https://acme.atlassian.net', email: 'bot@acme.com', apiToken: 'token-123' };
  const dc = { deployment: 'datacenter', baseUrl: 'https://jira.acme.com', token: 'pat-123' };

  it('takes each deployment with its own keys, and defaults the rest', () => {
    expect(parse(cloud).data).toMatchObject({ schema: 'ML Inventory', managedBy: 'masync', pageSize: 1000, api: 'assets' });
    expect(parse(dc).success).toBe(true);
  });

  it('names what a deployment lacks and what belongs to the other one', () => {
    expect(problems({ deployment: 'cloud', site: 'https://acme.atlassian.net' })).toEqual(['email: required for deployment: cloud', 'apiToken: required for deployment: cloud']);
    expect(problems({ ...dc, email: 'bot@acme.com' })).toEqual(['email: only for deployment: cloud']);
    expect(problems({ ...cloud, token: 'x' })).toEqual(['token: only for deployment: datacenter']);
  });

  it('refuses credentials inside a URL', () => {
    expect(problems({ ...cloud, site: 'https://bot:secret@acme.atlassian.net' })).toEqual(['site: a URL without credentials (they belong in the connector credential keys, which are redacted)']);
    expect(problems({ ...dc, baseUrl: 'https://admin@jira.acme.com' })).toEqual(['baseUrl: a URL without credentials (they belong in the connector credential keys, which are redacted)']);
  });

  it('speaks to Insight 9 and older under /rest/insight/1.0', async () => {
    const fx = await startJira({ deployment: 'datacenter', config: { api: 'insight' } });
    const { id } = await fx.sink.apply(createWrite(fx.sink, fx.mapping, modelItem('legacy')), fx.ctx());
    expect((await collect(fx.sink.readManaged(fx.ctx()))).map((r) => r.id)).toEqual([id]);
    expect(fx.emu.server.requests.every((r) => r.path.startsWith('/rest/insight/1.0/') || r.path.startsWith('/rest/api/'))).toBe(true);
  });
});
