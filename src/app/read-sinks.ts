import { carriesValues, LeanRecord } from '../engine/lean-record';
import type { RunContext, SinkReadOptions, SinkRecord, SinkRelation } from '../engine/types';
import { describeError } from '../errors';
import { matchHash } from '../state/applied';
import { matchKey, type Link } from '../state/links';
import type { KnownRelation } from '../state/relations';
import { KnownRelations } from './known-relations';
import type { SinkHandle } from './runtime';
import { SharedValues } from './shared-values';

/** What a sink holds of masync's, as this run sees it, and how far that can be trusted. */
export interface SinkRead {
  ok: boolean;
  error?: string;
  mode: 'full' | 'incremental';
  /** Records read. */
  actual: SinkRecord[];
  /** On an incremental read, the links of records it did not return (unchanged since, as state remembers them). */
  remembered: Link[];
  relations: SinkRelation[];
  /** Keys whose record masync made is missing from a full read. */
  missing: Set<string>;
  /** Why the record read looks short (then nothing is recreated or retired). */
  suspect?: string;
  relationsSuspect?: string;
  /** Relations state remembers drawing. */
  knownRelations: KnownRelations;
  /** Relations an incremental read did not return, added from state's memory. */
  rememberedRelationIds: Set<string>;
  /** The newest change seen: where the next incremental read starts. */
  cursor?: string;
}

export interface SinkReadInput {
  links: ReadonlyMap<string, Link>;
  /** The sink's `retiredFields()`, the one object the reconcile is given too. */
  retiredFields: Readonly<Record<string, string>>;
  known: readonly KnownRelation[];
  /** Read only what changed since (already less the safety margin); absent: a full read. */
  changedSince?: string;
  maxMissingFraction: number;
}

/**
 * Read a sink's managed records and relations, fully or incrementally, and
 * check the read against what state says masync made: a full read that
 * misses more than a few of them is treated as a failed read (an ACL that
 * hides records, a filter gone wrong), never as a reason to create them all again.
 */
export async function readSink(handle: SinkHandle, ctx: RunContext, input: SinkReadInput): Promise<SinkRead> {
  const { sink } = handle;
  const mode = input.changedSince ? 'incremental' : 'full';
  const opts: SinkReadOptions = input.changedSince ? { changedSince: input.changedSince } : {};
  const out: SinkRead = { ok: false, mode, actual: [], remembered: [], relations: [], missing: new Set(), knownRelations: new KnownRelations(input.known), rememberedRelationIds: new Set() };
  let newest: string | undefined;
  const see = (at: string | undefined) => {
    if (at !== undefined && (newest === undefined || at > newest)) newest = at;
  };
  const keep = keeper(input);
  // A full read that finds nothing (a first run into an empty sink) still marks where the next one may start.
  const readAt = ctx.clock.now().toISOString();
  try {
    ctx.progress.start(`reading ${mode === 'full' ? 'all' : 'changed'} records`);
    for await (const r of sink.readManaged(ctx, opts)) {
      out.actual.push(keep.record(r));
      see(r.updatedAt);
      ctx.progress.tick();
    }
    for await (const r of sink.readRelations(ctx, opts)) {
      out.relations.push(keep.relation(r));
      see(r.updatedAt);
    }
  } catch (err) {
    out.error = describeError(err);
    ctx.logger.error(`sink ${sink.name} could not be read; nothing is written to it this run: ${out.error}`);
    return out;
  } finally {
    ctx.progress.done();
  }
  out.ok = true;
  out.cursor = newest ?? (mode === 'incremental' ? input.changedSince : readAt);
  if (mode === 'incremental') mergeRemembered(out, input);
  else checkAgainstState(out, input, sink.name);
  for (const why of [out.suspect, out.relationsSuspect]) if (why) ctx.logger.warn(`sink ${sink.name}: ${why}; this run writes nothing that depends on what it cannot see`);
  ctx.logger.info(`sink ${sink.name}: ${mode} read: ${out.actual.length} record(s), ${out.relations.length} relation(s)${mode === 'incremental' ? `; ${out.remembered.length} unchanged record(s) as state remembers them` : ''}`);
  return out;
}

/**
 * How records and relations read are kept for the rest of the run. A record
 * that holds, in every non-empty field, what masync last wrote or confirmed
 * (its link's match hash) keeps no values of its own: the link's copy stands
 * in for them, exactly (its empty fields are kept by name). Relations keep
 * what the reconcile reads, their ends' ids shared with the records'.
 */
function keeper(input: SinkReadInput) {
  const byRecordId = new Map<string, Link>();
  for (const link of input.links.values()) byRecordId.set(link.recordId, link);
  const shared = new SharedValues();
  const ids = new Map<string, string>();
  return {
    record(r: SinkRecord): SinkRecord {
      ids.set(r.id, r.id);
      const labels = r.labels && shared.of(r.labels);
      const link = byRecordId.get(r.id);
      const match = link && matchKey(link);
      if (!link || match === undefined || match !== matchHash(r.fields).toString('latin1')) return labels === r.labels ? r : { ...r, ...(labels ? { labels } : {}) };
      const retired = carriesValues(r.fields, input.retiredFields);
      const identity = r.identity === link.identity ? link.identity : r.identity;
      return new LeanRecord(r.id, shared.of(r.class), identity, link, shared.of(emptyFields(r.fields)), { fields: input.retiredFields, retired }, false, labels);
    },
    relation(r: SinkRelation): SinkRelation {
      return { id: r.id, type: shared.of(r.type), parentId: ids.get(r.parentId) ?? r.parentId, childId: ids.get(r.childId) ?? r.childId };
    },
  };
}

function emptyFields(fields: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const f in fields) if (fields[f] === '') out.push(f);
  return out;
}

/** An incremental read returns what changed; what did not is as masync last wrote or confirmed it. */
function mergeRemembered(out: SinkRead, input: SinkReadInput): void {
  const readIds = new Set(out.actual.map((r) => r.id));
  for (const link of input.links.values()) if (!readIds.has(link.recordId)) out.remembered.push(link);
  const relIds = new Set(out.relations.map((r) => r.id));
  for (const k of input.known) {
    const parentId = input.links.get(k.parent)?.recordId;
    const childId = input.links.get(k.child)?.recordId;
    if (relIds.has(k.relationId) || !parentId || !childId) continue;
    out.relations.push({ id: k.relationId, type: k.type, parentId, childId });
    out.rememberedRelationIds.add(k.relationId);
  }
}

/** A full read must hold what state says masync made; a few gone are a person's deletions, many are a short read. */
function checkAgainstState(out: SinkRead, input: SinkReadInput, sink: string): void {
  const ids = new Set(out.actual.map((r) => r.id));
  const identities = new Set(out.actual.map((r) => r.identity));
  let active = 0;
  for (const [key, link] of input.links) {
    if (link.retiredAt !== undefined) continue;
    active++;
    if (!ids.has(link.recordId) && !identities.has(link.identity)) out.missing.add(key);
  }
  if (active > 0 && (out.actual.length === 0 || out.missing.size > Math.max(1, input.maxMissingFraction * active))) {
    out.suspect = `the read returned ${out.actual.length} record(s) and misses ${out.missing.size} of the ${active} active record(s) masync made (an ACL or filter hiding them?)`;
  }

  const relIds = new Set(out.relations.map((r) => r.id));
  const gone = input.known.filter((k) => !relIds.has(k.relationId));
  if (input.known.length > 0 && (out.relations.length === 0 || gone.length > Math.max(1, input.maxMissingFraction * input.known.length))) {
    out.relationsSuspect = `the relation read returned ${out.relations.length} and misses ${gone.length} of the ${input.known.length} relation(s) masync drew in ${sink}`;
  }
}
