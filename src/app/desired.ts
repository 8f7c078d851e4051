import { carriesValues, LeanDesired } from '../engine/lean-record';
import type { DesiredRecord, RunContext } from '../engine/types';
import { ConnectorError } from '../errors';
import type { InventoryItem } from '../inventory';
import { evaluateMapping } from '../mapping/evaluate';
import { appliedEquals, type Link } from '../state/links';
import type { SinkHandle } from './runtime';
import { SharedValues } from './shared-values';

/** Items mapped and resolved at a time: what one resolve holds in memory, not what a run has. */
const CHUNK = 5000;

/**
 * Map items to records, stamp identity and ownership (the sink's, whatever
 * the mapping says), resolve lookups — and check that resolving dropped
 * neither: a record without them would be a blank, ownerless duplicate.
 *
 * Every item is mapped and resolved every run: what a record should hold
 * depends on more than the item (a user created in the sink now resolves
 * an owner; a column added to the instance is now written). A record that
 * comes out exactly as masync last wrote or confirmed it (its link's hash)
 * keeps no values of its own: the link's copy stands in for them.
 */
export async function desiredFor(
  handle: SinkHandle,
  items: readonly InventoryItem[],
  state: { links: ReadonlyMap<string, Link>; retiredFields: Readonly<Record<string, string>> },
  ctx: RunContext,
): Promise<DesiredRecord[]> {
  const { sink, mapping } = handle;
  const stamp = sink.ownershipFields();
  const identityField = sink.identity.field;
  const out: DesiredRecord[] = [];
  const shared = new SharedValues();
  for (let start = 0; start < items.length; start += CHUNK) {
    const records: DesiredRecord[] = [];
    for (let i = start; i < Math.min(items.length, start + CHUNK); i++) {
      const item = items[i] as InventoryItem;
      const rec = evaluateMapping(mapping, item);
      if (!rec) continue;
      // The record was made just now: stamped in place rather than copied.
      rec.fields[identityField] = sink.identity.of(item.key);
      Object.assign(rec.fields, stamp);
      records.push(rec);
    }
    const resolved = sink.resolve ? await sink.resolve(records, ctx) : records;
    for (const rec of resolved) {
      const lost = [identityField, ...Object.keys(stamp)].filter((f) => rec.fields[f] !== (f === identityField ? sink.identity.of(rec.key) : stamp[f]));
      if (lost.length) {
        throw new ConnectorError(`sink ${sink.name}: preparing ${rec.key} dropped its identity or ownership field(s) ${lost.join(', ')}; nothing is written to this sink rather than create an unowned record`, {
          connector: sink.name,
        });
      }
      out.push(lean(rec, state.links.get(rec.key), state.retiredFields, shared));
    }
  }
  return out;
}

/**
 * The record, or, when it equals its link's values exactly, the same record
 * holding the link's copy instead of its own. Either way it is built afresh
 * with the parts records repeat shared: a record resolving made by spreads
 * has a hidden class of its own, which costs more than its values.
 */
function lean(d: DesiredRecord, link: Link | undefined, retiredFields: Readonly<Record<string, string>>, shared: SharedValues): DesiredRecord {
  if (!link || !appliedEquals(link, d.fields)) {
    return { key: d.key, kind: d.kind, source: d.source, class: shared.of(d.class), fields: d.fields, sinkAuthoritative: shared.of(d.sinkAuthoritative), relations: d.relations, lookups: shared.of(d.lookups), labels: d.labels && shared.of(d.labels) };
  }
  const retired = carriesValues(d.fields, retiredFields);
  return new LeanDesired(d.key, d.kind, d.source, shared.of(d.class), link, retired, shared.of(d.sinkAuthoritative), d.relations, shared.of(d.lookups), d.labels && shared.of(d.labels));
}
