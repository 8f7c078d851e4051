import type { DesiredRecord } from '../../src/engine/types';
import { collect } from '../support/deps';
import { desired, modelItem, startJira, stopJira, type JiraFixture } from './jira-setup';

afterEach(stopJira);

const searches = (fx: JiraFixture) => fx.emu.server.requests.filter((r) => r.path.endsWith('/user/search'));

async function resolveOwners(fx: JiraFixture, owners: string[]): Promise<DesiredRecord[]> {
  const records = owners.map((owner, i) => desired(fx.sink, fx.mapping, modelItem(`owned-${i}`, { owner })));
  return (await fx.sink.resolve?.(records, fx.ctx())) ?? [];
}

describe('Jira Assets owners (Cloud)', () => {
  it('finds people by exact email, once per distinct value, and leaves unknown owners unwritten with a warning', async () => {
    const fx = await startJira({ deployment: 'cloud' });
    const out = await resolveOwners(fx, ['bob@example.com', 'BOB@example.com', 'bob@example.com', 'dave@example.com', 'alice']);
    expect(out.map((r) => r.fields.Owner)).toEqual([fx.seed.users.bob, fx.seed.users.bob, fx.seed.users.bob, undefined, undefined]);
    expect(out[0]?.labels).toEqual({ Owner: 'Bob Example' });
    expect(out.every((r) => Object.keys(r.lookups).length === 0)).toBe(true);
    // Distinct owners are looked up side by side, so neither the searches nor the warnings come in a fixed order.
    expect(searches(fx).map((r) => r.query.get('query')).sort()).toEqual(['BOB@example.com', 'bob@example.com', 'dave@example.com']);
    const warnings = fx.deps.logger.lines.filter((l) => l.startsWith('warn')).sort();
    expect(warnings).toEqual([
      expect.stringContaining('owner "alice" is not an email address, and Jira Cloud finds users only by email'),
      expect.stringContaining('owner "dave@example.com" matches no active Jira user'),
    ]);
  });

  it('looks bare names up as name@emailDomain, finds a hidden email by the whole address, and never takes a display-name match for one', async () => {
    const fx = await startJira({ deployment: 'cloud', config: { emailDomain: 'example.com' } });
    const hidden = fx.emu.addUser({ name: 'erin', email: 'erin@example.com', displayName: 'Erin Example', emailHidden: true });
    fx.emu.addUser({ name: 'fan', email: 'fan@elsewhere.org', displayName: 'frank@example.com fan club', emailHidden: true });
    const out = await resolveOwners(fx, ['alice', 'carol@example.com', 'erin', 'frank@example.com']);
    expect(out.map((r) => r.fields.Owner)).toEqual([fx.seed.users.alice, fx.seed.users.carol, hidden.id, undefined]);
    expect(fx.deps.logger.lines.filter((l) => l.startsWith('warn'))).toEqual([expect.stringContaining('owner "frank@example.com" matches no active Jira user')]);
  });

  it('writes the account id and reads it back with the person it names', async () => {
    const fx = await startJira({ deployment: 'cloud' });
    const [rec] = await resolveOwners(fx, ['carol@example.com']);
    await fx.sink.apply({ op: 'create', class: rec?.class as string, key: rec?.key as string, fields: rec?.fields as Record<string, string> }, fx.ctx());
    const [read] = await collect(fx.sink.readManaged(fx.ctx()));
    expect(read?.fields.Owner).toBe(fx.seed.users.carol);
    expect(read?.labels).toEqual({ Owner: 'Carol Example' });
  });
});

describe('Jira Assets owners (Data Center)', () => {
  it('finds people by email or exact username, by user key', async () => {
    const fx = await startJira({ deployment: 'datacenter' });
    fx.emu.addUser({ name: 'alice2', email: 'alice2@example.com', displayName: 'Alice Other' });
    fx.emu.addUser({ name: 'gone', email: 'gone@example.com', active: false });
    const out = await resolveOwners(fx, ['alice', 'bob@example.com', 'gone', 'dave']);
    expect(out.map((r) => r.fields.Owner)).toEqual([fx.seed.users.alice, fx.seed.users.bob, undefined, undefined]);
    expect(fx.seed.users.alice).toMatch(/^JIRAUSER\d+$/);
    expect(fx.deps.logger.lines.filter((l) => l.startsWith('warn')).map((l) => /owner "(\w+)"/.exec(l)?.[1])).toEqual(['gone', 'dave']);
  });
});
