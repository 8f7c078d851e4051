import { UsageError } from '../errors';
import type { Dataset } from '../inventory';
import { firstObservedAt, intervalBefore, intervalsAt, intervalsBetween, lastRecordedAt, runAndPrevious, type AuditInterval } from '../state/audit-queries';
import { journalRowsOf, type JournalRow } from '../state/journal-rows';
import type { Db } from '../state/db';
import { itemAsOf } from '../state/item-history';
import type { KeyIds } from '../state/keys';
import { itemsNamed, storedItem, type StoredItem } from '../state/subject-queries';
import { describeWrite } from './journal-text';

export type AuditQuery = { at: string; deployment?: string } | { from: string; to: string; deployment?: string };

/** A served version as it was at the time asked about. */
export interface AuditedVersion {
  key: string;
  title: string;
  /** False when state holds no record of the version from that time (kept from before masync kept history). */
  known: boolean;
  /** Since when the facts below held (when masync recorded them). */
  recordedSince?: string;
  gone?: boolean;
  version?: string;
  stage?: string;
  aliases?: string[];
  status?: string;
  approval?: string;
  owner?: string;
  runId?: string;
  runName?: string;
  datasets?: Dataset[];
  metrics?: Record<string, number>;
  params?: Record<string, string>;
}

export interface AuditedInterval {
  deployment: { key: string; title: string; source?: string };
  status: string;
  validFrom: string;
  /** Absent while it still holds. */
  validTo?: string;
  /** The run before the one that saw this interval first: the change happened after it. */
  changedAfter?: string;
  instanceType?: string;
  instanceCount?: number;
  variants: unknown[];
  serves: AuditedVersion[];
  openedBy: { runId?: string; changes: string[]; writes: Array<JournalRow & { text: string }> };
}

export interface AuditReport {
  query: AuditQuery;
  /** What state can vouch for: from its first observation to its last finished sync. */
  knownFrom?: string;
  knownUntil?: string;
  intervals: AuditedInterval[];
  notes: string[];
}

/**
 * "What ran where, when": the observation intervals holding at an instant (or
 * overlapping a window), each with the versions it served as they were then
 * (stage, aliases, run, datasets, metrics: from the item history), its
 * hardware, and what opened it: the source change masync saw and the writes
 * that run made. Reads the state file only.
 */
export function audit(db: Db, keys: KeyIds, query: AuditQuery): AuditReport {
  const ids = query.deployment === undefined ? undefined : deploymentIds(db, keys, query.deployment);
  const found = 'at' in query ? intervalsAt(db, keys, query.at, ids) : intervalsBetween(db, keys, query.from, query.to, ids);
  const knownFrom = firstObservedAt(db);
  const knownUntil = lastRecordedAt(db);
  const notes: string[] = [];
  const start = 'at' in query ? query.at : query.from;
  const end = 'at' in query ? query.at : query.to;
  if (knownFrom === undefined) notes.push('state holds no observation of a deployment: no source that reads deployments has been synced');
  else if (start < knownFrom) notes.push(`state holds no observation before ${knownFrom}: what ran earlier is not known`);
  if (knownUntil !== undefined && end > knownUntil) notes.push(`the last recorded sync finished at ${knownUntil}: what ran after it is not known, and open intervals are known to hold only until then`);
  if (found.length === 0 && knownFrom !== undefined) notes.push(`no deployment${query.deployment ? ` named ${query.deployment}` : ''} was observed serving ${'at' in query ? 'at that time' : 'in that window'}`);
  const items = itemCache(db, keys);
  const intervals = found.map((o) => {
    const asOf = 'at' in query ? query.at : o.validFrom > query.from ? o.validFrom : query.from;
    return describe(db, keys, o, asOf, items);
  });
  return { query, ...(knownFrom ? { knownFrom } : {}), ...(knownUntil ? { knownUntil } : {}), intervals, notes };
}

function describe(db: Db, keys: KeyIds, o: AuditInterval, asOf: string, items: (key: string) => StoredItem | undefined): AuditedInterval {
  const title = (key: string) => items(key)?.title ?? key;
  const source = (key: string) => (items(key) ? { source: (items(key) as StoredItem).source } : {});
  const { run, previous } = runAndPrevious(db, o.run);
  const before = intervalBefore(db, keys, o);
  const servedIds = o.serves.map((k) => keys.find(k)).filter((id): id is number => id !== undefined);
  const writes = journalRowsOf(db, keys, [o.keyId, ...servedIds], o.run).map((w) => ({ ...w, text: describeWrite(w, title) }));
  const detail = (o.detail ?? {}) as { variants?: unknown[] };
  return {
    deployment: { key: o.key, title: title(o.key), ...source(o.key) },
    status: o.status,
    validFrom: o.validFrom,
    ...(o.validTo ? { validTo: o.validTo } : {}),
    ...(previous ? { changedAfter: previous.startedAt } : {}),
    ...(o.instanceType !== undefined ? { instanceType: o.instanceType } : {}),
    ...(o.instanceCount !== undefined ? { instanceCount: o.instanceCount } : {}),
    variants: detail.variants ?? [],
    serves: o.serves.map((key) => versionAt(db, keys, key, asOf, title)),
    openedBy: { ...(run ? { runId: run.id } : {}), changes: changesFrom(before, o, title), writes },
  };
}

/** What differs from the deployment's interval before this one: why this one opened. */
function changesFrom(before: AuditInterval | undefined, o: AuditInterval, title: (key: string) => string): string[] {
  if (!before) return ['first observed: the deployment appeared (or its source was first synced)'];
  const out: string[] = [];
  const gap = before.validTo !== o.validFrom;
  if (gap) out.push(`observed again after a gap: it was last seen until ${before.validTo ?? o.validFrom}`);
  const names = (list: string[]) => (list.length ? list.map(title).join(', ') : 'nothing registered');
  if (before.serves.join('\n') !== o.serves.join('\n')) out.push(`serves ${names(o.serves)} (was ${names(before.serves)})`);
  const hw = (i: AuditInterval) => `${i.instanceType ?? '?'} × ${i.instanceCount ?? '?'}`;
  if (hw(before) !== hw(o)) out.push(`runs on ${hw(o)} (was ${hw(before)})`);
  if (!gap && out.length === 0) out.push('its variants changed (names, weights or per-variant hardware)');
  return out;
}

function versionAt(db: Db, keys: KeyIds, key: string, at: string, title: (key: string) => string): AuditedVersion {
  const then = itemAsOf(db, keys, key, at);
  if (!then) return { key, title: title(key), known: false };
  const d = then.data as Partial<AuditedVersion>;
  const pick = <K extends keyof AuditedVersion>(k: K) => (d[k] !== undefined ? { [k]: d[k] } : {});
  return {
    key,
    title: title(key),
    known: true,
    recordedSince: then.since,
    ...(then.gone ? { gone: true } : {}),
    ...pick('version'),
    ...pick('stage'),
    ...pick('aliases'),
    ...pick('status'),
    ...pick('approval'),
    ...pick('owner'),
    ...pick('runId'),
    ...pick('runName'),
    ...pick('datasets'),
    ...pick('metrics'),
    ...pick('params'),
  };
}

/** Deployments named so (an endpoint, a component, `endpoint/component`) or keyed so. */
function deploymentIds(db: Db, keys: KeyIds, name: string): number[] {
  const byKey = storedItem(db, keys, name);
  if (byKey?.kind === 'deployment') return [byKey.id];
  const [endpoint, component] = name.includes('/') ? (name.split('/', 2) as [string, string]) : [name, undefined];
  const found = itemsNamed(db, keys, component ?? endpoint, 'deployment').filter((d) => component === undefined || d.data.endpoint === endpoint);
  if (found.length === 0) throw new UsageError(`--deployment ${name}: no deployment of that name or key is in the state file`);
  return found.map((d) => d.id);
}

/** Items as state holds them now, each read once. */
function itemCache(db: Db, keys: KeyIds): (key: string) => StoredItem | undefined {
  const cache = new Map<string, StoredItem | undefined>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, storedItem(db, keys, key));
    return cache.get(key);
  };
}
