import { desiredFor } from '../../src/app/desired';
import type { SinkHandle } from '../../src/app/runtime';
import type { DesiredRecord, RunContext, Sink } from '../../src/engine/types';
import type { Link } from '../../src/state/links';
import { mappingSchema } from '../../src/mapping/schema';
import { model, version } from '../support/memory';

/**
 * A record known from its basis is checked by resolving its lookup fields
 * once per distinct lookup. Two kinds mapped to one class may look the same
 * value up differently (by user name, by email): each must be resolved its
 * own way, or one kind's records would be "known" through the other's answer.
 */
const mapping = mappingSchema.parse({
  version: 1,
  identity: 'ext',
  retired: { status: 'retired' },
  kinds: {
    model: { class: 'ci', fields: { name: { from: 'name' }, owner: { from: 'owner', lookup: { table: 'sys_user', match: ['user_name'] } } } },
    model_version: { class: 'ci', fields: { name: { from: 'name' }, owner: { from: 'owner', lookup: { table: 'sys_user', match: ['email'] } } } },
  },
});

/** A sink whose users are found by name or by email, as the test sets them. */
function sinkWith(users: { byName: string; byEmail: string }): Sink {
  return {
    name: 'snk',
    identity: { field: 'ext', of: (key: string) => key },
    ownershipFields: () => ({ managed_by: 'masync' }),
    retiredFields: () => ({ status: 'retired' }),
    resolveBasis: async () => 'columns',
    resolve: async (records: DesiredRecord[]) =>
      records.map((r) => {
        const lookup = r.lookups.owner;
        if (!lookup || r.fields.owner === undefined) return r;
        return { ...r, fields: { ...r.fields, owner: lookup.match.includes('email') ? users.byEmail : users.byName }, lookups: {} };
      }),
  } as unknown as Sink;
}

const ctx = { logger: { info: () => undefined, warn: () => undefined } } as unknown as RunContext;
const items = [model('reg', 'fraud', { owner: 'alice' }), version('reg', 'fraud', '1', { owner: 'alice' }), version('reg', 'fraud', '2', { owner: 'alice' })];

function linksOf(records: readonly DesiredRecord[]): Map<string, Link> {
  return new Map(records.map((d) => [d.key, { sink: 'snk', key: d.key, source: d.source, kind: d.kind, recordId: `id-${d.key}`, identity: d.key, class: d.class, applied: { ...d.fields }, basis: d.basis }]));
}

describe('records known through their lookups', () => {
  it('are resolved per lookup, so a change one kind resolves differently is not taken as known', async () => {
    const before: SinkHandle = { sink: sinkWith({ byName: 'u1', byEmail: 'u1' }), mapping };
    const mapped = await desiredFor(before, items, { links: new Map(), retiredFields: { status: 'retired' }, remapAll: true }, ctx);
    expect(mapped.every((d) => d.fields.owner === 'u1' && d.basis !== undefined)).toBe(true);

    // Alice's email now names another account; her user name still names the first.
    const after: SinkHandle = { sink: sinkWith({ byName: 'u1', byEmail: 'u2' }), mapping };
    const state = { links: linksOf(mapped), retiredFields: { status: 'retired' }, remapAll: false };
    const known = await desiredFor(after, items, state, ctx);
    const full = await desiredFor(after, items, { ...state, remapAll: true }, ctx);
    const owners = (records: DesiredRecord[]) => Object.fromEntries(records.map((d) => [d.key, d.fields.owner]));
    expect(owners(known)).toEqual(owners(full));
    expect(owners(known)).toEqual({ [items[0]!.key]: 'u1', [items[1]!.key]: 'u2', [items[2]!.key]: 'u2' });
  });
});
