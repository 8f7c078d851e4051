import type { ModelItem, ModelVersionItem } from '../../../src/inventory';
import type { CollectionPath } from './key';
import { collectionUrl, drop, firstOf, nonEmpty, tagValue, type MapSettings } from './map';

/** A collection as a model: what W&B says about the collection itself. */
export interface CollectionInfo {
  path: CollectionPath;
  /** Artifact type of its versions (`model`). */
  type: string;
  typename: 'ArtifactSequence' | 'ArtifactPortfolio';
  description?: string | null;
  createdAt?: string;
  updatedAt?: string;
  tags: readonly string[];
  /** Set for a source collection known only through versions linked into a registry. */
  linkedOnly?: boolean;
}

/** What a collection's model needs to know of one of its versions. */
export interface VersionSummary {
  /** The version's index in this collection (for a portfolio, its membership index). */
  index: number;
  /** Aliases it carries in this collection. */
  aliases: readonly string[];
  stage?: string;
  owner?: string;
  /** How the model's alias map names the version: "3" in its own collection, W&B's path in a registry. */
  ref: string;
}

/** The summary of a version item in its own (source) collection. */
export function ownSummary(v: ModelVersionItem): VersionSummary {
  return { index: Number(v.version), aliases: v.aliases.filter((a) => !a.includes(':')), stage: v.stage, owner: v.owner, ref: v.version };
}

/**
 * A collection's model item. Aliases map to the version they are set on; each
 * stage maps to its highest version; without an owner tag the owner is that
 * of the earliest version, as for MLflow models.
 */
export function collectionModel(s: MapSettings, c: CollectionInfo, versions: readonly VersionSummary[]): ModelItem {
  const ordered = [...versions].sort((a, b) => a.index - b.index);
  const aliases: Record<string, string> = {};
  const latestVersions: Record<string, string> = {};
  for (const v of ordered) {
    for (const alias of v.aliases) aliases[alias] = v.ref;
    if (v.stage) latestVersions[v.stage] = v.ref;
  }
  const tags: Record<string, string> = { 'wandb.type': c.type, 'wandb.collection': c.typename === 'ArtifactPortfolio' ? 'portfolio' : 'sequence' };
  const named = [...new Set(c.tags.filter((t) => t !== ''))].sort();
  if (named.length) tags['wandb.tags'] = named.join(', ');
  if (c.linkedOnly) tags['wandb.coverage'] = 'linked versions only';
  return drop({
    kind: 'model',
    key: s.keys.model(c.path),
    source: s.source,
    name: c.path.collection,
    observedAt: s.observedAt,
    tags,
    links: { ui: collectionUrl(s, c.path, c.type) },
    description: nonEmpty(c.description),
    owner: firstOf(tagValue(c.tags, s.ownerKey), ordered.find((v) => v.owner)?.owner),
    costCenter: tagValue(c.tags, s.costCenterKey),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    aliases,
    latestVersions,
  });
}
