import { UsageError } from '../errors';
import { intervalsOf, deploymentsServing, type AuditInterval } from '../state/audit-queries';
import type { Db } from '../state/db';
import { findingsOf } from '../state/findings';
import { itemHistory } from '../state/item-history';
import type { KeyIds } from '../state/keys';
import { journalRowsOf } from '../state/journal-rows';
import { itemsNamed, runAt, storedItem, versionsOf, type StoredItem } from '../state/subject-queries';
import { itemChanges } from './item-changes';
import { describeWrite } from './journal-text';

export type HistoryEventType = 'registered' | 'stage' | 'aliases' | 'changed' | 'gone' | 'back' | 'deployed' | 'rescaled' | 'undeployed' | 'finding-raised' | 'finding-cleared' | 'write';

export interface HistoryEvent {
  at: string;
  type: HistoryEventType;
  /** The item it happened to. */
  key: string;
  title: string;
  text: string;
  /** The sync that saw it (or made it, for a write). */
  runId?: string;
}

export interface HistoryReport {
  subject: { key: string; kind: string; title: string; source: string; goneAt?: string };
  /** Versions and deployments the history covers. */
  versions: string[];
  deployments: string[];
  events: HistoryEvent[];
  notes: string[];
}

const RANK: Record<HistoryEventType, number> = { registered: 0, stage: 1, aliases: 1, changed: 1, gone: 2, back: 2, deployed: 3, rescaled: 3, undeployed: 3, 'finding-raised': 4, 'finding-cleared': 4, write: 5 };

/**
 * One model's life (or one version's, or one deployment's), in order:
 * versions registered, stage and alias moves and other registry changes (the
 * item history), deployments that started and stopped serving it (the
 * observation intervals), findings raised and cleared, and every write masync
 * made about it to each sink (the journal). Events of one sync come in that
 * order, since a run reads before it writes. Reads the state file only.
 */
export function history(db: Db, keys: KeyIds, ref: string): HistoryReport {
  const subject = resolveSubject(db, keys, ref);
  const versions = subject.kind === 'model' ? versionsOf(db, keys, subject) : subject.kind === 'model_version' ? [subject] : [];
  const deploymentIds = subject.kind === 'deployment' ? [subject.id] : deploymentsServing(db, versions.map((v) => v.id));
  const items = new Map<string, StoredItem>([[subject.key, subject], ...versions.map((v) => [v.key, v] as const)]);
  const title = (key: string) => items.get(key)?.title ?? remember(db, keys, items, key)?.title ?? key;
  const events: Array<HistoryEvent & { seq: number }> = [];
  const runs = new Map<string, { seq: number; id: string } | undefined>();
  const runOf = (at: string) => (runs.has(at) ? runs.get(at) : (runs.set(at, runAt(db, at)), runs.get(at)));
  const push = (e: Omit<HistoryEvent, 'runId' | 'title'>, run = runOf(e.at)) => events.push({ ...e, title: title(e.key), ...(run ? { runId: run.id } : {}), seq: run?.seq ?? 0 });
  const notes: string[] = [];

  for (const item of subject.kind === 'deployment' ? [] : [subject, ...versions.filter((v) => v !== subject)]) {
    for (const e of itemEvents(db, keys, item, subject.kind === 'model_version', notes)) push(e);
  }
  const subjectVersions = subject.kind === 'deployment' ? undefined : new Set(versions.map((v) => v.key));
  for (const e of deploymentEvents(intervalsOf(db, keys, deploymentIds), subjectVersions, title)) push(e);
  for (const key of new Set([subject.key, ...versions.map((v) => v.key), ...deploymentIds.map((id) => keys.keyOf(id))])) {
    for (const f of findingsOf(db, keys, key)) {
      push({ at: f.firstSeen, type: 'finding-raised', key, text: `${f.type} (${f.severity}) raised on ${title(key)}: ${f.detail}${f.lastSeen !== f.firstSeen ? ` (as last seen, ${f.lastSeen})` : ''}` });
      if (f.clearedAt) push({ at: f.clearedAt, type: 'finding-cleared', key, text: `${f.type} on ${title(key)} cleared` });
    }
  }
  const written = subject.kind === 'deployment' ? [subject.id] : [subject.id, ...versions.filter((v) => v !== subject).map((v) => v.id)];
  for (const w of journalRowsOf(db, keys, written)) push({ at: w.at, type: 'write', key: w.key, text: describeWrite(w, title) }, { seq: w.run, id: w.runId });

  events.sort((a, b) => a.seq - b.seq || RANK[a.type] - RANK[b.type] || a.at.localeCompare(b.at));
  return {
    subject: { key: subject.key, kind: subject.kind, title: subject.title, source: subject.source, ...(subject.goneAt ? { goneAt: subject.goneAt } : {}) },
    versions: versions.map((v) => v.key),
    deployments: deploymentIds.map((id) => keys.keyOf(id)),
    events: events.map(({ seq: _seq, ...e }) => e),
    notes,
  };
}

/** Registered, changed, gone and back, from the item's history rows. */
function itemEvents(db: Db, keys: KeyIds, item: StoredItem, versionAliases: boolean, notes: string[]): Array<Omit<HistoryEvent, 'runId' | 'title'>> {
  const rows = itemHistory(db, keys, item.key);
  const created = typeof item.data.createdAt === 'string' ? ` (created in ${item.source} at ${item.data.createdAt})` : '';
  const out: Array<Omit<HistoryEvent, 'runId' | 'title'>> = [{ at: item.firstSeen, type: 'registered', key: item.key, text: `${item.kind === 'model' ? 'model ' : ''}${item.title} registered${created}` }];
  const seen = rows.filter((r) => r.event === 'seen');
  if (seen[0] && seen[0].at > item.firstSeen) notes.push(`${item.title}: its changes are known from ${seen[0].at} on (state kept no history before)`);
  let before: Record<string, unknown> | undefined;
  for (const r of rows) {
    if (r.event === 'gone') out.push({ at: r.at, type: 'gone', key: item.key, text: `${item.title} left ${item.source} (deleted, or no longer listed)` });
    else if (r.event === 'back') out.push({ at: r.at, type: 'back', key: item.key, text: `${item.title} is back in ${item.source}` });
    else if (r.data) {
      if (before) for (const c of itemChanges(item.kind, before, r.data, versionAliases)) out.push({ at: r.at, type: c.type, key: item.key, text: `${item.title}: ${c.text}` });
      before = r.data;
    }
  }
  return out;
}

/**
 * Deployments starting, rescaling and stopping to serve the subject's
 * versions (or, for a deployment, whatever it serves), from consecutive
 * observation intervals; a gap between two intervals is an end and a start.
 */
function deploymentEvents(intervals: readonly AuditInterval[], versions: ReadonlySet<string> | undefined, title: (key: string) => string): Array<Omit<HistoryEvent, 'runId' | 'title'>> {
  const out: Array<Omit<HistoryEvent, 'runId' | 'title'>> = [];
  const relevant = (i: AuditInterval | undefined): string[] => {
    if (!i) return [];
    if (versions) return i.serves.filter((k) => versions.has(k));
    return i.serves.length ? i.serves : [''];
  };
  const name = (k: string) => (k === '' ? 'a model no registry knows' : title(k));
  const hw = (i: AuditInterval) => `${i.instanceType ?? 'unknown hardware'}${i.instanceCount !== undefined ? ` × ${i.instanceCount}` : ''}`;
  intervals.forEach((cur, n) => {
    const prior = intervals[n - 1];
    const prev = prior && prior.key === cur.key && prior.validTo === cur.validFrom ? prior : undefined;
    const was = relevant(prev);
    const now = relevant(cur);
    const dep = title(cur.key);
    for (const k of now.filter((k) => !was.includes(k))) out.push({ at: cur.validFrom, type: 'deployed', key: cur.key, text: `${dep} started serving ${name(k)} on ${hw(cur)}` });
    for (const k of was.filter((k) => !now.includes(k))) out.push({ at: cur.validFrom, type: 'undeployed', key: cur.key, text: `${dep} stopped serving ${name(k)}` });
    if (prev && hw(prev) !== hw(cur)) for (const k of now.filter((k) => was.includes(k))) out.push({ at: cur.validFrom, type: 'rescaled', key: cur.key, text: `${dep} serves ${name(k)} on ${hw(cur)} (was ${hw(prev)})` });
    const next = intervals[n + 1];
    if (cur.validTo && !(next && next.key === cur.key && next.validFrom === cur.validTo)) {
      for (const k of now) out.push({ at: cur.validTo, type: 'undeployed', key: cur.key, text: `${dep} stopped serving ${name(k)} (the deployment is gone)` });
    }
  });
  return out;
}

/**
 * What `masync history` was asked about: a key; a model's name; a version's
 * title (`fraud-detector v3`); or a deployment's name (`endpoint` or
 * `endpoint/component`). A name several sources share is refused with the
 * keys to choose from.
 */
export function resolveSubject(db: Db, keys: KeyIds, ref: string): StoredItem {
  const byKey = storedItem(db, keys, ref);
  if (byKey) return byKey;
  const title = /^(.+?)\s+v(\S+)$/.exec(ref);
  const versions = title ? itemsNamed(db, keys, title[1] as string, 'model_version').filter((v) => v.data.version === title[2]) : [];
  const [endpoint, component] = ref.includes('/') ? (ref.split('/', 2) as [string, string]) : [ref, undefined];
  const deployments = itemsNamed(db, keys, component ?? endpoint, 'deployment').filter((d) => component === undefined || d.data.endpoint === endpoint);
  for (const found of [itemsNamed(db, keys, ref, 'model'), versions, deployments]) {
    if (found.length === 1) return found[0] as StoredItem;
    if (found.length > 1) throw new UsageError(`"${ref}" names ${found.length} items; give one of their keys:\n${found.map((f) => `  ${f.key}  (${f.source})`).join('\n')}`);
  }
  throw new UsageError(`nothing in the state file is named or keyed "${ref}": give a model name, a version title such as "fraud-detector v3", a deployment name, or a key (masync status lists what state holds)`);
}

function remember(db: Db, keys: KeyIds, items: Map<string, StoredItem>, key: string): StoredItem | undefined {
  const item = storedItem(db, keys, key);
  if (item) items.set(key, item);
  return item;
}
