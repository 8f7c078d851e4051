import { carriesValues, LeanDesired } from '../engine/lean-record';
import type { DesiredRecord, RunContext } from '../engine/types';
import { ConnectorError } from '../errors';
import { canonicalJson, type InventoryItem } from '../inventory';
import { evaluateMapping, lookupFields, lookupRecord, mappedRelations, sinkAuthoritativeFields } from '../mapping/evaluate';
import { appliedEquals, type Link } from '../state/links';
import { basisInputs, basisRetired, MappedBasis } from './mapped-basis';
import type { SinkHandle } from './runtime';
import { SharedValues } from './shared-values';

/** Items mapped and resolved at a time: what one resolve holds in memory, not what a run has. */
const CHUNK = 5000;

export interface DesiredState {
  links: ReadonlyMap<string, Link>;
  retiredFields: Readonly<Record<string, string>>;
  /** Map every item anew, trusting no stored basis (a full run). */
  remapAll: boolean;
}

/**
 * Map items to records, stamp identity and ownership (the sink's, whatever
 * the mapping says), resolve lookups — and check that resolving dropped
 * neither: a record without them would be a blank, ownerless duplicate.
 *
 * What a record should hold depends on more than its item (a user created in
 * the sink now resolves an owner; a column added to the instance is now
 * written): all of it goes into the record's basis (`MappedBasis`). An item
 * whose link stores the basis its values were mapped from, and whose inputs
 * hash the same now, is not mapped again: only its lookup fields are made and
 * resolved (lookups are read every run), and the link's values stand for the
 * record. Every other item is mapped and resolved in full; a record that comes
 * out exactly as masync last wrote or confirmed it keeps no values of its own
 * either. A full run maps everything.
 */
export async function desiredFor(handle: SinkHandle, items: readonly InventoryItem[], state: DesiredState, ctx: RunContext): Promise<DesiredRecord[]> {
  const { sink, mapping } = handle;
  const m = new RecordMapper(handle, state, sink.resolve && sink.resolveBasis ? await sink.resolveBasis(ctx) : undefined);
  const out: DesiredRecord[] = [];
  let known = 0;
  for (let start = 0; start < items.length; start += CHUNK) {
    const chunk = items.slice(start, start + CHUNK);
    // Per item of the chunk, by position: a run holds a hundred thousand keys, and maps of them cost more than the work.
    const links = chunk.map((item) => state.links.get(item.key));
    const probeIds: Array<string | undefined> = new Array(chunk.length);
    // Items whose link says what they were mapped from: only their lookup fields are made to check it, and
    // resolved once per class and values (a hundred thousand versions name a few owners and cost centers).
    const probes = new Map<string, DesiredRecord>();
    const mappedAt = new Map<string, number>();
    const records: DesiredRecord[] = [];
    for (const [i, item] of chunk.entries()) {
      const link = links[i];
      if (m.basis && !state.remapAll && link?.basis !== undefined && link.retiredAt === undefined) {
        const probe = lookupRecord(mapping, item);
        if (!probe) continue;
        // What a lookup resolves to depends on how it looks (table, match) as much as on the value: two kinds may share a class.
        const id = `${probe.class}\u0000${lookupsJson(probe.lookups)}\u0000${canonicalJson(probe.fields)}`;
        probeIds[i] = id;
        if (!probes.has(id)) probes.set(id, probe), records.push(probe);
        continue;
      }
      const rec = m.mapped(item);
      if (rec) records.push(rec), mappedAt.set(rec.key, i);
    }
    const probeOfKey = new Map<string, string>();
    for (const [id, probe] of probes) probeOfKey.set(probe.key, id);
    const done: Array<DesiredRecord | undefined> = new Array(chunk.length);
    const finish = (resolved: readonly DesiredRecord[]) => {
      for (const rec of resolved) {
        const i = mappedAt.get(rec.key);
        if (i !== undefined) done[i] = m.finished(rec, chunk[i] as InventoryItem);
      }
    };
    const resolved = sink.resolve ? await sink.resolve(records, ctx) : records;
    const resolvedProbes = new Map<string, DesiredRecord>();
    for (const rec of resolved) {
      const id = probeOfKey.get(rec.key);
      if (id !== undefined) resolvedProbes.set(id, rec);
    }
    finish(resolved);
    mappedAt.clear();
    const again: DesiredRecord[] = [];
    for (const [i, id] of probeIds.entries()) {
      if (id === undefined) continue;
      const item = chunk[i] as InventoryItem;
      const rec = m.known(item, links[i] as Link & { basis: string }, resolvedProbes.get(id) as DesiredRecord);
      if (rec) (done[i] = rec), known++;
      else again.push(m.mapped(item) as DesiredRecord), mappedAt.set(item.key, i);
    }
    // Items whose inputs moved since: mapped in full after all (their lookups are read already).
    if (again.length > 0) finish(sink.resolve ? await sink.resolve(again, ctx) : again);
    for (const rec of done) if (rec) out.push(rec);
  }
  if (m.basis && !state.remapAll) ctx.logger.info(`sink ${sink.name}: ${known} of ${out.length} record(s) known from what they were last mapped from; the others mapped now`);
  return out;
}

// A kind's lookups are one object for the run (see lookupRecord): written as JSON once each.
const lookupsJsons = new WeakMap<object, string>();
function lookupsJson(lookups: DesiredRecord['lookups']): string {
  let json = lookupsJsons.get(lookups);
  if (json === undefined) lookupsJsons.set(lookups, (json = canonicalJson(lookups)));
  return json;
}

/** One sink's way from an item to its desired record, with what every record of the run shares. */
class RecordMapper {
  readonly basis: MappedBasis | undefined;
  private readonly stamp: Readonly<Record<string, string>>;
  private readonly shared = new SharedValues();
  private readonly noLookups: DesiredRecord['lookups'] = this.shared.of({});
  /** Per resolved lookup-only record, what every record known through it shares: resolved once, asked a hundred thousand times. */
  private readonly lookedParts = new WeakMap<DesiredRecord, { class: string; labels: DesiredRecord['labels']; json: string }>();

  constructor(
    private readonly handle: SinkHandle,
    private readonly state: DesiredState,
    resolveBasis: string | undefined,
  ) {
    const { sink } = handle;
    this.stamp = sink.ownershipFields();
    this.basis = resolveBasis === undefined ? undefined : new MappedBasis(handle.mapping, { identityField: sink.identity.field, stamp: this.stamp, retiredFields: state.retiredFields, resolveBasis });
  }

  /** The item's record as the mapping makes it, with the sink's identity and ownership stamped on. */
  mapped(item: InventoryItem): DesiredRecord | undefined {
    const rec = evaluateMapping(this.handle.mapping, item);
    if (!rec) return undefined;
    // The record was made just now: stamped in place rather than copied.
    rec.fields[this.handle.sink.identity.field] = this.handle.sink.identity.of(item.key);
    Object.assign(rec.fields, this.stamp);
    return rec;
  }

  /** The record its link stands for, when the item's inputs (its lookups resolved as `looked`) hash as they did; else undefined. */
  known(item: InventoryItem, link: Link & { basis: string }, looked: DesiredRecord): DesiredRecord | undefined {
    const parts = this.partsOf(looked);
    const inputs = this.basis?.inputs(item, this.handle.sink.identity.of(item.key), parts.json);
    if (inputs === undefined || inputs !== basisInputs(link.basis)) return undefined;
    const { mapping } = this.handle;
    const kind = mapping.kinds[item.kind];
    return new LeanDesired(item.key, item.kind, item.source, parts.class, link, basisRetired(link.basis), sinkAuthoritativeFields(mapping, item.kind), kind ? mappedRelations(kind, item) : [], this.noLookups, parts.labels, link.basis);
  }

  private partsOf(looked: DesiredRecord): { class: string; labels: DesiredRecord['labels']; json: string } {
    let parts = this.lookedParts.get(looked);
    if (!parts) {
      parts = { class: this.shared.of(looked.class), labels: looked.labels && this.shared.of(looked.labels), json: canonicalJson(looked.fields) };
      this.lookedParts.set(looked, parts);
    }
    return parts;
  }

  /** A resolved record checked for identity and ownership, given its basis, and made lean when it equals its link. */
  finished(rec: DesiredRecord, item: InventoryItem): DesiredRecord {
    const { sink } = this.handle;
    const identityField = sink.identity.field;
    const lost = [identityField, ...Object.keys(this.stamp)].filter((f) => rec.fields[f] !== (f === identityField ? sink.identity.of(rec.key) : this.stamp[f]));
    if (lost.length) {
      throw new ConnectorError(`sink ${sink.name}: preparing ${rec.key} dropped its identity or ownership field(s) ${lost.join(', ')}; nothing is written to this sink rather than create an unowned record`, {
        connector: sink.name,
      });
    }
    const b = this.basis?.of(this.basis.inputs(item, sink.identity.of(item.key), canonicalJson(this.lookedUp(rec))), rec.fields);
    return this.lean(rec, b);
  }

  /** The values a record's lookup fields resolved to: those a lookup-only record of it keeps. */
  private lookedUp(rec: DesiredRecord): Record<string, string> {
    const out: Record<string, string> = {};
    for (const field in lookupFields(this.handle.mapping, rec.kind)) if (rec.fields[field] !== undefined) out[field] = rec.fields[field] as string;
    return out;
  }

  /**
   * The record, or, when it equals its link's values exactly, the same record
   * holding the link's copy instead of its own. Either way it is built afresh
   * with the parts records repeat shared: a record resolving made by spreads
   * has a hidden class of its own, which costs more than its values.
   */
  private lean(d: DesiredRecord, basis: string | undefined): DesiredRecord {
    const { shared } = this;
    const link = this.state.links.get(d.key);
    if (!link || !appliedEquals(link, d.fields)) {
      return { key: d.key, kind: d.kind, source: d.source, class: shared.of(d.class), fields: d.fields, sinkAuthoritative: shared.of(d.sinkAuthoritative), relations: d.relations, lookups: shared.of(d.lookups), labels: d.labels && shared.of(d.labels), basis };
    }
    const retired = carriesValues(d.fields, this.state.retiredFields);
    return new LeanDesired(d.key, d.kind, d.source, shared.of(d.class), link, retired, shared.of(d.sinkAuthoritative), d.relations, shared.of(d.lookups), d.labels && shared.of(d.labels), basis);
  }
}
