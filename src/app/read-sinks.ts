import { tripleId } from '../engine/reconcile-relations';
import type { RunContext, SinkReadOptions, SinkRecord, SinkRelation } from '../engine/types';
import { describeError } from '../errors';
import type { Link } from '../state/links';
import type { KnownRelation } from '../state/relations';
import type { SinkHandle } from './runtime';

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
  /** Relations state remembers drawing, as triple ids. */
  knownRelations: Set<string>;
  /** Their sink ids. */
  knownRelationIds: Set<string>;
  /** Relations an incremental read did not return, added from state's memory. */
  rememberedRelationIds: Set<string>;
  /** The newest change seen: where the next incremental read starts. */
  cursor?: string;
}

export interface SinkReadInput {
  links: ReadonlyMap<string, Link>;
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
  const out: SinkRead = { ok: false, mode, actual: [], remembered: [], relations: [], missing: new Set(), knownRelations: new Set(), knownRelationIds: new Set(), rememberedRelationIds: new Set() };
  for (const r of input.known) {
    out.knownRelations.add(tripleId(r.type, r.parent, r.child));
    out.knownRelationIds.add(r.relationId);
  }
  let newest: string | undefined;
  const see = (at: string | undefined) => {
    if (at !== undefined && (newest === undefined || at > newest)) newest = at;
  };
  try {
    ctx.progress.start(`reading ${mode === 'full' ? 'all' : 'changed'} records`);
    for await (const r of sink.readManaged(ctx, opts)) {
      out.actual.push(r);
      see(r.updatedAt);
      ctx.progress.tick();
    }
    for await (const r of sink.readRelations(ctx, opts)) {
      out.relations.push(r);
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
  out.cursor = newest ?? (mode === 'incremental' ? input.changedSince : undefined);
  if (mode === 'incremental') mergeRemembered(out, input);
  else checkAgainstState(out, input, sink.name);
  for (const why of [out.suspect, out.relationsSuspect]) if (why) ctx.logger.warn(`sink ${sink.name}: ${why}; this run writes nothing that depends on what it cannot see`);
  ctx.logger.info(`sink ${sink.name}: ${mode} read: ${out.actual.length} record(s), ${out.relations.length} relation(s)${mode === 'incremental' ? `; ${out.remembered.length} unchanged record(s) as state remembers them` : ''}`);
  return out;
}

/** An incremental read returns what changed; what did not is as masync last wrote or confirmed it. */
function mergeRemembered(out: SinkRead, input: SinkReadInput): void {
  const readIds = new Set(out.actual.map((r) => r.id));
  const idOf = new Map<string, string>();
  for (const [key, link] of input.links) {
    idOf.set(key, link.recordId);
    if (!readIds.has(link.recordId)) out.remembered.push(link);
  }
  const relIds = new Set(out.relations.map((r) => r.id));
  for (const k of input.known) {
    const parentId = idOf.get(k.parent);
    const childId = idOf.get(k.child);
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
