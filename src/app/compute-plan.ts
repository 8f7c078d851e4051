import type { DesiredRecord, Plan, RunContext, SinkRecord, SinkRelation } from '../engine/types';
import { reconcile, type Attributed } from '../engine/reconcile';
import { UsageError } from '../errors';
import type { InventoryItem } from '../inventory';
import { evaluateMapping } from '../mapping/evaluate';
import { linksForSink, type Link } from '../state/links';
import { lastGoodItemCount } from '../state/runs';
import { retirableSources } from './guards';
import { readSources, type SourceRead } from './read-sources';
import type { Runtime, SinkHandle } from './runtime';

export interface SinkState {
  handle: SinkHandle;
  desired: DesiredRecord[];
  actual: SinkRecord[];
  relations: SinkRelation[];
  links: Map<string, Link>;
}

/** A plan and everything it was computed from, which applying and recording need. */
export interface PlannedRun {
  reads: SourceRead[];
  sinks: SinkState[];
  plan: Plan;
  /** Per sink, item key → the sink record reconcile matched it to. */
  matched: Map<string, Map<string, Attributed>>;
  retirable: Set<string>;
}

export interface PlanOptions {
  /** Only these sources (`--source`); records of the others are left alone. */
  sourceNames?: readonly string[];
  minFractionOfLastRun: number;
  maxRetireFraction: number;
}

/** Read sources and sinks (at once), map, resolve, and diff. Reads only. */
export async function computePlan(rt: Runtime, opts: PlanOptions, ctx: RunContext): Promise<PlannedRun> {
  const selected = selectSources(rt, opts.sourceNames);
  const [reads, sinkReads] = await Promise.all([readSources(selected, ctx), Promise.all(rt.sinks.map((h) => readSink(h, ctx)))]);
  const guard = retirableSources(reads, (s) => lastGoodItemCount(rt.db, s), opts.minFractionOfLastRun);
  const items = reads.flatMap((r) => r.items);

  const sinks: SinkState[] = [];
  for (const [i, handle] of rt.sinks.entries()) {
    const desired = await desiredFor(handle, items, ctx);
    const read = sinkReads[i] as { actual: SinkRecord[]; relations: SinkRelation[] };
    sinks.push({ handle, desired, ...read, links: linksForSink(rt.db, handle.sink.name) });
  }

  const { plan, matched } = reconcile({
    sinks: sinks.map((s) => ({
      sink: s.handle.sink.name,
      desired: s.desired,
      actual: s.actual,
      relations: s.relations,
      links: s.links,
      identityOf: (key) => s.handle.sink.identity.of(key),
      retiredFields: s.handle.sink.retiredFields(),
    })),
    retirable: guard.retirable,
    inScope: new Set(selected.map((s) => s.name)),
    attribute: (key) => {
      for (const source of rt.sources) {
        const kind = source.kindOfKey(key);
        if (kind) return { source: source.name, kind };
      }
      return undefined;
    },
    maxRetireFraction: opts.maxRetireFraction,
  });
  plan.notes.unshift(...guard.notes);
  return { reads, sinks, plan, matched, retirable: guard.retirable };
}

function selectSources(rt: Runtime, names: readonly string[] | undefined) {
  if (!names || names.length === 0) return rt.sources;
  const known = new Set(rt.sources.map((s) => s.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) throw new UsageError(`unknown source ${unknown.join(', ')}; the config has: ${[...known].join(', ')}`);
  return rt.sources.filter((s) => names.includes(s.name));
}

async function readSink(handle: SinkHandle, ctx: RunContext): Promise<{ actual: SinkRecord[]; relations: SinkRelation[] }> {
  const actual: SinkRecord[] = [];
  for await (const r of handle.sink.readManaged(ctx)) actual.push(r);
  const relations: SinkRelation[] = [];
  for await (const r of handle.sink.readRelations(ctx)) relations.push(r);
  ctx.logger.info(`sink ${handle.sink.name}: read ${actual.length} managed record(s), ${relations.length} relation(s)`);
  return { actual, relations };
}

/** Map items to records, stamp identity and ownership (the sink's, whatever the mapping says), resolve lookups. */
async function desiredFor(handle: SinkHandle, items: readonly InventoryItem[], ctx: RunContext): Promise<DesiredRecord[]> {
  const { sink, mapping } = handle;
  const records: DesiredRecord[] = [];
  for (const item of items) {
    const rec = evaluateMapping(mapping, item);
    if (!rec) continue;
    rec.fields = { ...rec.fields, [sink.identity.field]: sink.identity.of(item.key), ...sink.ownershipFields() };
    records.push(rec);
  }
  return sink.resolve ? sink.resolve(records, ctx) : records;
}
