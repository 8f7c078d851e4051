import { titleOf } from '../inventory';
import type { StoredFinding } from '../state/findings';
import type { ModelGaps, Money, StateItem } from './types';

const SEVERITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Most severe first, then most money wasted. */
export function bySeverity(a: StoredFinding, b: StoredFinding): number {
  return (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0) || (b.monthlyWaste ?? 0) - (a.monthlyWaste ?? 0) || a.key.localeCompare(b.key);
}

/**
 * Open findings grouped by the model they concern, whatever their type (the
 * governance policies add types; this needs no list of them): a version's
 * under its model, a deployment's under the model of the version it serves,
 * and a deployment serving nothing registered as a group of its own — it is
 * a model nobody registered. Groups with the most severe findings first. Pure.
 */
export function gapsByModel(items: readonly StateItem[], findings: readonly StoredFinding[]): ModelGaps[] {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const groups = new Map<string, ModelGaps>();
  for (const f of findings) {
    const owner = groupOf(byKey, f.key);
    const group = groups.get(owner) ?? newGroup(byKey, owner);
    group.findings.push(f);
    groups.set(owner, group);
  }
  for (const g of groups.values()) g.findings.sort(bySeverity);
  return [...groups.values()].sort((a, b) => worst(b) - worst(a) || b.findings.length - a.findings.length || a.title.localeCompare(b.title));
}

/**
 * Open findings on deployments (zombie, shadow, retired but serving…), most
 * money wasted first — including those on deployments gone from their source
 * whose finding state still holds open, so this list's waste adds up to the
 * total the page and `masync findings` show.
 */
export function endpointFindings(items: readonly StateItem[], findings: readonly StoredFinding[], goneDeployments: ReadonlySet<string> = new Set()): StoredFinding[] {
  const deployments = new Set(items.filter((i) => i.kind === 'deployment').map((i) => i.key));
  return findings.filter((f) => deployments.has(f.key) || goneDeployments.has(f.key)).sort((a, b) => (b.monthlyWaste ?? 0) - (a.monthlyWaste ?? 0) || bySeverity(a, b));
}

/** Waste per currency, never added across currencies. */
export function wasteOf(findings: readonly StoredFinding[]): Money[] {
  const by = new Map<string, number>();
  for (const f of findings) if (f.monthlyWaste !== undefined) by.set(f.currency ?? 'USD', (by.get(f.currency ?? 'USD') ?? 0) + f.monthlyWaste);
  return [...by].map(([currency, monthly]) => ({ currency, monthly: Math.round(monthly * 100) / 100 }));
}

function groupOf(byKey: ReadonlyMap<string, StateItem>, key: string): string {
  const item = byKey.get(key);
  if (!item) return key;
  if (item.kind === 'model_version') return item.versionOf;
  if (item.kind !== 'deployment') return key;
  const served = item.servesVersionKey ?? item.serves?.[0];
  const version = served ? byKey.get(served) : undefined;
  return version?.kind === 'model_version' ? version.versionOf : key;
}

function newGroup(byKey: ReadonlyMap<string, StateItem>, key: string): ModelGaps {
  const item = byKey.get(key);
  if (!item) return { key, title: key, kind: 'unknown', findings: [] };
  return { key, title: titleOf(item), kind: item.kind, source: item.source, ...(item.owner ? { owner: item.owner } : {}), findings: [] };
}

function worst(g: ModelGaps): number {
  return Math.max(...g.findings.map((f) => SEVERITY_RANK[f.severity] ?? 0));
}
