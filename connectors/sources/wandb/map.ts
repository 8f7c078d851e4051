import type { ModelVersionItem } from '../../../src/inventory';
import { versionPathText, type CollectionPath, type VersionPath, type WandbKeys } from './key';
import type { Lineage } from './lineage';
import type { Artifact, CollectionRef } from './wire';

/** What mapping needs besides the wire records; fixed for one read. */
export interface MapSettings {
  source: string;
  keys: WandbKeys;
  uiUrl: string;
  ownerKey: string;
  costCenterKey: string;
  /** Stage → lower-cased aliases, in precedence order. */
  stages: ReadonlyArray<readonly [string, ReadonlySet<string>]>;
  observedAt: string;
}

/** The version's own aliases, and those it carries in collections it is linked into (`project/collection:alias`). */
export interface VersionAliases {
  own: string[];
  linked: string[];
  /** `entity/project/collection:vN` of every collection it is linked into. */
  links: string[];
}

/** Where a version lives: its source collection and index. */
export function versionPathOf(a: Artifact): VersionPath {
  const seq = a.artifactSequence;
  return { entity: seq.project.entity.name, project: seq.project.name, collection: seq.name, index: a.versionIndex };
}

/**
 * A version is one item however many collections it is linked into: keyed by
 * its source collection and index, its links recorded as prefixed aliases and
 * in the `wandb.links` tag.
 */
export function versionItem(s: MapSettings, a: Artifact, lineage: Lineage | undefined): ModelVersionItem {
  const path = versionPathOf(a);
  const type = a.artifactType.name;
  const aliases = aliasesOf(a);
  const metadata = isPlainObject(a.metadata) ? a.metadata : {};
  const creator = a.createdBy?.__typename === 'User' ? nonEmpty(a.createdBy.username) : undefined;
  const tags: Record<string, string> = { ...scalarEntries(metadata), 'wandb.type': type };
  if (a.digest) tags['wandb.digest'] = a.digest;
  if (aliases.links.length) tags['wandb.links'] = aliases.links.join(', ');
  const ownTags = (a.tags ?? []).map((t) => t.name).filter((t) => t !== '');
  if (ownTags.length) tags['wandb.tags'] = [...new Set(ownTags)].sort().join(', ');
  const links: Record<string, string> = { ui: `${collectionUrl(s, path, type)}/v${path.index}` };
  if (lineage?.entity && lineage.project) links.run = `${s.uiUrl}/${seg(lineage.entity)}/${seg(lineage.project)}/runs/${seg(lineage.id)}`;
  return drop({
    kind: 'model_version',
    key: s.keys.version(path),
    source: s.source,
    name: path.collection,
    observedAt: s.observedAt,
    tags,
    links,
    description: nonEmpty(a.description),
    owner: firstOf(stringOf(metadata[s.ownerKey]), tagValue(a.artifactSequence.tags, s.ownerKey), lineage?.user, creator),
    costCenter: firstOf(stringOf(metadata[s.costCenterKey]), tagValue(a.artifactSequence.tags, s.costCenterKey)),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    versionOf: s.keys.model(path),
    version: String(path.index),
    stage: stageOf(s, [...aliases.own, ...aliases.linked.map(aliasName)]),
    aliases: [...aliases.own, ...aliases.linked],
    status: a.state,
    artifactUri: versionPathText(path),
    runId: lineage?.runId,
    runName: lineage?.runName,
    metrics: lineage?.metrics ?? {},
    params: lineage?.params ?? {},
    datasets: lineage?.datasets ?? [],
  });
}

/** Aliases split by collection: W&B answers every alias of the artifact, in whichever collection it was set. */
export function aliasesOf(a: Artifact): VersionAliases {
  const seq = a.artifactSequence;
  const own = new Set<string>();
  const linked = new Set<string>();
  const links = new Set<string>();
  // An alias without its collection predates linking: it can only be the source collection's.
  const isSource = (c: CollectionRef | null | undefined) =>
    !c || (c.__typename === 'ArtifactSequence' && c.name === seq.name && c.project.name === seq.project.name && c.project.entity.name === seq.project.entity.name);
  for (const { alias, artifactCollection: c } of a.aliases) {
    if (isSource(c)) own.add(alias);
    else if (c) linked.add(linkedAlias(c, alias));
  }
  for (const edge of a.artifactMemberships?.edges ?? []) {
    const m = edge.node;
    const c = m?.artifactCollection;
    if (!m || !c || isSource(c) || c.__typename !== 'ArtifactPortfolio') continue;
    for (const { alias } of m.aliases) linked.add(linkedAlias(c, alias));
    if (m.versionIndex !== null && m.versionIndex !== undefined) links.add(`${c.project.entity.name}/${c.project.name}/${c.name}:v${m.versionIndex}`);
  }
  return { own: [...own].sort(), linked: [...linked].sort(), links: [...links].sort() };
}

/** Aliases of `a` in one collection it is linked into. */
export function aliasesIn(a: Artifact, c: CollectionPath): string[] {
  const prefix = `${c.project}/${c.collection}:`;
  return aliasesOf(a)
    .linked.filter((l) => l.startsWith(prefix))
    .map(aliasName);
}

/** The first configured stage any of these aliases puts a version in. */
export function stageOf(s: MapSettings, aliases: readonly string[]): string | undefined {
  const lower = aliases.map((a) => a.toLowerCase());
  return s.stages.find(([, names]) => lower.some((a) => names.has(a)))?.[0];
}

/** `<key>-<value>` among a collection's tags (W&B tags hold no ":" or "="); the first in sorted order wins. */
export function tagValue(tags: readonly string[], key: string): string | undefined {
  const prefix = `${key}-`;
  const match = [...tags].sort().find((t) => t.startsWith(prefix) && t.length > prefix.length);
  return match?.slice(prefix.length).trim() || undefined;
}

export function collectionUrl(s: MapSettings, c: CollectionPath, type: string): string {
  return `${s.uiUrl}/${seg(c.entity)}/${seg(c.project)}/artifacts/${seg(type)}/${seg(c.collection)}`;
}

function linkedAlias(c: CollectionRef, alias: string): string {
  return `${c.project.name}/${c.name}:${alias}`;
}

function aliasName(linked: string): string {
  return linked.slice(linked.lastIndexOf(':') + 1);
}

/** Top-level scalar metadata entries, as tags; W&B's own facts keep the `wandb.` names. */
function scalarEntries(metadata: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (k.startsWith('wandb.')) continue;
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[k] = String(v);
  }
  return out;
}

function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function seg(s: string): string {
  return encodeURIComponent(s);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function nonEmpty(s: string | null | undefined): string | undefined {
  return s === null || s === undefined || s === '' ? undefined : s;
}

export function firstOf(...values: Array<string | undefined>): string | undefined {
  return values.find((v) => v !== undefined && v !== '');
}

/** Leaves out absent optional fields so items compare and hash the same however they were built. */
export function drop<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
