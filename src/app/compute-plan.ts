import { reconcile, type Attributed } from '../engine/reconcile';
import type { DesiredRecord, Plan } from '../engine/types';
import { UsageError } from '../errors';
import { titleOf, type InventoryItem } from '../inventory';
import { readCursor } from '../state/cursors';
import { readItem } from '../state/items';
import { keysCreatedBy } from '../state/journal';
import { loadLinks, type Link } from '../state/links';
import { loadRelations } from '../state/relations';
import { lastTrustedCounts } from '../state/runs';
import { retirePolicy, type RetirePolicy } from './guards';
import { readSink, type SinkRead } from './read-sinks';
import { desiredFor } from './desired';
import { rememberedRecord } from './remembered';
import { enrichItems, type Enrichment } from './enrich-run';
import { readSources, type SourceRead } from './read-sources';
import type { RunEnv } from './run-env';
import type { Runtime, SinkHandle } from './runtime';

export interface SinkState {
  handle: SinkHandle;
  desired: DesiredRecord[];
  read: SinkRead;
  links: Map<string, Link>;
  /** The sink's `retiredFields()`: one object for the run, which lean records answer for without their values. */
  retiredFields: Readonly<Record<string, string>>;
}

/** A plan and everything it was computed from, which applying and recording need. */
export interface PlannedRun {
  reads: SourceRead[];
  items: InventoryItem[];
  sinks: SinkState[];
  plan: Plan;
  /** Per sink, item key → the sink record reconcile matched it to. */
  matched: Map<string, Map<string, Attributed>>;
  policy: RetirePolicy;
  /** Sinks that could not be read, with why: nothing is written to them this run. */
  sinkErrors: string[];
  enrichment: Enrichment;
  /** Whether what state holds of this key may be closed (its source and scope read completely this run). */
  mayGo(key: string): boolean;
}

export interface PlanOptions {
  /** Only these sources (`--source`); records of the others are left alone. */
  sourceNames?: readonly string[];
  /** Sources whose short read the operator accepts (`--accept-short-read`). */
  acceptShortRead?: readonly string[];
}

/** Read sources and sinks (at once), map, resolve, and diff. Reads only: writes nothing, not even state. */
export async function computePlan(rt: Runtime, env: RunEnv, opts: PlanOptions): Promise<PlannedRun> {
  const { guard, run } = rt.loaded.config;
  const selected = select(rt, opts.sourceNames);
  const accepted = new Set(opts.acceptShortRead ?? []);
  for (const name of accepted) if (!rt.sources.some((s) => s.name === name)) throw new UsageError(`--accept-short-read ${name}: no such source`);

  const sinkInputs = rt.sinks.map((h) => {
    const name = h.sink.name;
    const links = loadLinks(rt.db, env.keys, name, (k) => h.sink.identity.of(k));
    const cursor = readCursor(rt.db, name).cursor;
    const changedSince = !env.isFull(name) && cursor ? new Date(Date.parse(cursor) - run.changedSinceMarginSec * 1000).toISOString() : undefined;
    const retiredFields = h.sink.retiredFields();
    return { handle: h, links, retiredFields, input: { links, retiredFields, known: loadRelations(rt.db, env.keys, name), changedSince, maxMissingFraction: guard.maxMissingFraction } };
  });
  const [reads, sinkReads] = await Promise.all([
    readSources(selected, env.ctxOf),
    Promise.all(sinkInputs.map((s) => readSink(s.handle, env.ctxOf(s.handle.sink.name), s.input))),
  ]);
  const scopeOf = (source: string, key: string) => rt.sources.find((s) => s.name === source)?.scopeOfKey?.(key) ?? '';
  const policy = retirePolicy(reads, scopeOf, (s) => lastTrustedCounts(rt.db, s)?.scopes, { minFractionOfLastRun: guard.minFractionOfLastRun, accepted });
  // An operator reading only the log must see why nothing was retired, run after run.
  for (const h of policy.held) env.ctxOf(h.source).logger.warn(h.detail);
  const read: InventoryItem[] = [];
  for (const r of reads) for (const item of r.items) read.push(item);
  const enrichment = await enrichItems(rt, env, read);
  const { items } = enrichment;

  const sinks: SinkState[] = [];
  for (const [i, s] of sinkInputs.entries()) {
    const read = sinkReads[i] as SinkRead;
    if (!read.ok) continue;
    const desired = await desiredFor(s.handle, items, { links: s.links, retiredFields: s.retiredFields, remapAll: env.isFull(s.handle.sink.name) }, env.ctxOf(s.handle.sink.name));
    if (read.remembered.length > 0) {
      const byKey = new Map(desired.map((d) => [d.key, d]));
      for (const link of read.remembered) read.actual.push(rememberedRecord(link, byKey.get(link.key), s.retiredFields));
    }
    read.remembered = [];
    sinks.push({ handle: s.handle, desired, read, links: s.links, retiredFields: s.retiredFields });
  }

  // Asked only for what the plan names (writes, findings): a no-op of 100k items never builds it.
  let itemsByKey: Map<string, InventoryItem> | undefined;
  const itemOf = (key: string) => (itemsByKey ??= new Map(items.map((i) => [i.key, i]))).get(key);
  const titleOfKey = (key: string) => {
    const item = itemOf(key);
    return item ? titleOf(item) : undefined;
  };
  const { plan, matched } = reconcile({
    sinks: sinks.map((s) => {
      const sink = s.handle.sink;
      return {
        sink: sink.name,
        desired: s.desired,
        actual: s.read.actual,
        relations: s.read.relations,
        links: s.links,
        identityOf: (key: string) => sink.identity.of(key),
        retiredFields: s.retiredFields,
        createdByMasync: keysCreatedBy(rt.db, env.keys, sink.name, duplicateKeys(s)),
        missing: s.read.missing,
        suspect: s.read.suspect,
        relationsSuspect: s.read.relationsSuspect,
        knownRelations: s.read.knownRelations,
        rememberedRelationIds: s.read.rememberedRelationIds,
      };
    }),
    mayRetire: policy.mayRetire,
    inScope: new Set(selected.map((s) => s.name)),
    attribute: (key) => {
      for (const source of rt.sources) {
        const kind = source.kindOfKey(key);
        if (kind) return { source: source.name, kind };
      }
      return undefined;
    },
    maxRetireFraction: guard.maxRetireFraction,
    titleOf: (key) => titleOfKey(key) ?? storedTitle(rt, env, key),
  });
  plan.held = policy.held;
  plan.findings = enrichment.raised
    .map((r) => ({
      type: r.finding.type,
      key: r.key,
      title: titleOfKey(r.key),
      severity: r.finding.severity,
      detail: r.finding.detail,
      ...(r.finding.monthlyWaste !== undefined ? { monthlyWaste: r.finding.monthlyWaste } : {}),
      ...(r.currency ? { currency: r.currency } : {}),
      firstSeen: itemOf(r.key)?.findings?.find((f) => f.type === r.finding.type)?.firstSeen,
    }))
    .sort((a, b) => (b.monthlyWaste ?? 0) - (a.monthlyWaste ?? 0) || a.type.localeCompare(b.type) || a.key.localeCompare(b.key));
  const sinkErrors = rt.sinks.flatMap((h, i) => {
    const read = sinkReads[i] as SinkRead;
    return read.ok ? [] : [`sink ${h.sink.name} could not be read (${read.error ?? 'unknown error'}); nothing is written to it this run`];
  });
  // Lists that grow with the registry are joined in array literals and loops, never spread into one call's arguments.
  plan.notes = [...policy.held.map((h) => h.detail), ...sinkErrors, ...enrichment.errors, ...plan.notes, ...enrichment.notes];
  const mayGo = (key: string) => {
    const source = rt.sources.find((s) => s.kindOfKey(key) !== undefined);
    return source !== undefined && policy.mayRetire(source.name, key);
  };
  return { reads, items, sinks, plan, matched, policy, sinkErrors, enrichment, mayGo };
}

function select(rt: Runtime, names: readonly string[] | undefined) {
  if (!names || names.length === 0) return rt.sources;
  const known = new Set(rt.sources.map((s) => s.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) throw new UsageError(`unknown source ${unknown.join(', ')}; the config has: ${[...known].join(', ')}`);
  return rt.sources.filter((s) => names.includes(s.name));
}

/** Keys of records that share an identity with another record: the candidates for duplicate repair. */
function duplicateKeys(s: SinkState): string[] {
  const count = new Map<string, number>();
  for (const r of s.read.actual) count.set(r.identity, (count.get(r.identity) ?? 0) + 1);
  const dup = new Set([...count].filter(([, n]) => n > 1).map(([identity]) => identity));
  if (dup.size === 0) return [];
  const keys: string[] = [];
  for (const d of s.desired) if (dup.has(s.handle.sink.identity.of(d.key))) keys.push(d.key);
  for (const [key, link] of s.links) if (dup.has(link.identity)) keys.push(key);
  return keys;
}

function storedTitle(rt: Runtime, env: RunEnv, key: string): string | undefined {
  const item = readItem(rt.db, env.keys, key);
  return item ? titleOf(item) : undefined;
}
