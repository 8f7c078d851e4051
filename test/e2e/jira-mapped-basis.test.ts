import { desiredFor } from '../../src/app/desired';
import { readSources } from '../../src/app/read-sources';
import { openRunEnv } from '../../src/app/run-env';
import type { Runtime } from '../../src/app/runtime';
import { carriesValues } from '../../src/engine/lean-record';
import type { DesiredRecord } from '../../src/engine/types';
import { loadLinks } from '../../src/state/links';
import { JIRA_SINK, WandbJiraWorld } from '../support/wandb-jira-world';

const CHURN = 'ml-team/churn/churn-predictor';

/**
 * Issue 8, for Jira Assets: a record whose item, mapping, owner lookups and
 * object schema are as they were when masync last wrote or confirmed it is
 * known without mapping its item again. Known or mapped, the desired record
 * must be the same: both ways are run on one run's data and compared record
 * for record (fields, labels, relations, retired flag, basis).
 */
describe('Jira Assets: records known from what they were last mapped from', () => {
  let w: WandbJiraWorld | undefined;
  afterEach(async () => {
    await w?.stop();
    w = undefined;
  });

  const world = () => w as WandbJiraWorld;
  const known = () => {
    const line = world().logger.lines.find((l) => l.includes(`sink ${JIRA_SINK}: `) && l.includes('known from what they were last mapped from')) ?? '';
    const m = /(\d+) of (\d+) record/.exec(line);
    return m ? { known: Number(m[1]), of: Number(m[2]) } : undefined;
  };

  /** The desired records of this moment, known where they can be and mapped anew, as plain comparable values. */
  const bothWays = async () => {
    const rt = world().rt;
    const env = openRunEnv(rt, world().base());
    const handle = rt.sinks[0] as Runtime['sinks'][number];
    const ctx = env.ctxOf(handle.sink.name);
    const items = (await readSources(rt.sources, env.ctxOf)).flatMap((r) => r.items);
    const links = loadLinks(rt.db, env.keys, handle.sink.name, (k) => handle.sink.identity.of(k));
    const retiredFields = handle.sink.retiredFields();
    // Every part of the contract, read through its accessors: a lean record keeps its values in the link it was made from.
    const view = (d: DesiredRecord) => ({
      key: d.key,
      kind: d.kind,
      source: d.source,
      class: d.class,
      fields: { ...d.fields },
      sinkAuthoritative: d.sinkAuthoritative,
      relations: d.relations,
      lookups: d.lookups,
      labels: d.labels,
      basis: d.basis,
      retired: carriesValues(d.fields, retiredFields),
    });
    world().logger.lines.length = 0;
    const fast = (await desiredFor(handle, items, { links, retiredFields, remapAll: false }, ctx)).map(view);
    const counted = known();
    const slow = (await desiredFor(handle, items, { links, retiredFields, remapAll: true }, ctx)).map(view);
    return { fast, slow, counted };
  };

  /** Two syncs: the first writes what changed, the second must find nothing to do and know every record. */
  const settle = async () => {
    expect((await world().sync()).status).toBe('ok');
    const steady = await world().sync();
    expect(steady.status).toBe('ok');
    expect(steady.planned).toMatchObject({ create: 0, update: 0, retire: 0, relate: 0, unrelate: 0 });
    const counted = known();
    expect(counted?.of).toBeGreaterThan(0);
    expect(counted?.known).toBe(counted?.of);
  };

  it('are the records mapping every item anew gives, after a registry change, owners that change whom they name, and a person’s edit', async () => {
    w = await WandbJiraWorld.open();
    await settle();
    const emu = world().jira.emulator;

    // A collection's description changes; a second account with alice's (hidden) email makes her name no one; dave joins Jira.
    world().wandb.setCollection(CHURN, { description: 'Weekly probability that a subscriber cancels.' });
    emu.addUser({ name: 'alice.other', email: 'alice@example.com', displayName: 'Another Alice', emailHidden: true });
    emu.addUser({ name: 'dave', email: 'dave@example.com', displayName: 'Dave Example' });
    const model = emu.objectsOf('ML Model').find((o) => emu.valuesOf(o.id)['Managed by']?.[0] === 'masync');
    emu.edit(model?.id ?? '', { Description: 'edited by a person' });

    const { fast, slow, counted } = await bothWays();
    expect(fast).toEqual(slow);
    // Both ways were really taken: some records known, the changed ones mapped.
    expect(counted?.known).toBeGreaterThan(0);
    expect(counted?.known).toBeLessThan(counted?.of ?? 0);
    // The lookups moved as the directory did: alice names no one now, dave someone.
    const owners = new Set(slow.map((d) => d.labels?.Owner));
    expect(owners.has('Alice Example')).toBe(false);
    expect(owners.has('Dave Example')).toBe(true);
    expect(slow.some((d) => d.fields.Description === 'Weekly probability that a subscriber cancels.')).toBe(true);

    await settle();
  });

  it('are all mapped anew when the object schema changes: a Select’s options changed, then an attribute removed', async () => {
    w = await WandbJiraWorld.open();
    await settle();
    const emu = world().jira.emulator;
    const ofClass = (records: DesiredRecord[], c: string) => {
      const found = records.filter((d) => d.class === c);
      expect(found.length).toBeGreaterThan(0);
      return found;
    };

    // An admin renames the "Active" option: a model's "Lifecycle status" is now a value Assets would refuse.
    const lifecycle = emu.catalog.attrNamed(emu.typeId('ML Model'), 'Lifecycle status');
    expect(lifecycle?.options).toContain('Active');
    if (lifecycle) lifecycle.options = ['In use', 'Retired'];
    const options = await bothWays();
    expect(options.fast).toEqual(options.slow);
    expect(options.counted?.known).toBe(0);
    expect(ofClass(options.fast, 'ML Model').every((d) => d.fields['Lifecycle status'] === undefined)).toBe(true);
    expect(ofClass(options.fast, 'ML Model Version').every((d) => d.fields['Lifecycle status'] === 'Active')).toBe(true);
    await settle();

    emu.removeAttribute('ML Model Version', 'Aliases');
    const removed = await bothWays();
    expect(removed.fast).toEqual(removed.slow);
    expect(removed.counted?.known).toBe(0);
    expect(ofClass(removed.fast, 'ML Model Version').every((d) => d.fields.Aliases === undefined)).toBe(true);
    await settle();
  });
});
