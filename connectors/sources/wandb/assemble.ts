import type { SourceContext } from '../../../src/engine/types';
import { MalformedResponseError } from '../../../src/errors';
import { validateItem, type InventoryItem, type ModelVersionItem } from '../../../src/inventory';
import { collectionPathText, scopeOf, versionPathText } from './key';
import type { Lineage } from './lineage';
import { aliasesIn, stageOf, versionItem, versionPathOf, type MapSettings } from './map';
import { collectionModel, ownSummary, type CollectionInfo, type VersionSummary } from './models';
import type { BadNode, ReadCollection } from './reader';
import { runPathOf } from './run-lineage';
import type { Artifact } from './wire';

/**
 * Turns the collections of one read into items. A version is emitted once,
 * from whichever collection lists it first (the item is the same either way:
 * every version node carries all its links). A source collection that no read
 * scope covers is known only through its linked versions and is emitted last.
 * A model whose listing held a malformed version is skipped, never emitted
 * from partial data, so its record stays as it was.
 */
export class ItemAssembler {
  private readonly emitted = new Set<string>();
  private readonly modelsDone = new Set<string>();
  private readonly partial = new Set<string>();
  private readonly linkedOnly = new Map<string, { info: CollectionInfo; versions: Map<number, VersionSummary> }>();
  private truncatedLinks = 0;

  constructor(
    private readonly s: MapSettings,
    private readonly ctx: SourceContext,
    /** `entity/project` of every scope this read covers. */
    private readonly covered: ReadonlySet<string>,
  ) {}

  /** A node the reader could not parse: reported, its record (or its whole scope) left alone. */
  badNode(bad: BadNode): void {
    if (bad.version) {
      const path = { ...bad.version.path, index: bad.version.index };
      this.ctx.skipped({ item: versionPathText(path), key: this.s.keys.version(path), scope: scopeOf(path), error: bad.error });
    } else {
      this.ctx.skipped({ item: String(bad.error.props.item ?? 'a W&B node'), scope: bad.scope, error: bad.error });
    }
    if (bad.collection) this.partial.add(this.s.keys.model(bad.collection));
  }

  /** A collection's versions (each once per read) and its model; `lineages` holds the runs behind them. */
  *collection(c: ReadCollection, lineages: ReadonlyMap<string, Lineage | undefined>): Generator<InventoryItem> {
    const info: CollectionInfo = {
      path: c.path,
      type: c.type,
      typename: c.collection.__typename,
      description: c.collection.description,
      createdAt: c.collection.createdAt,
      updatedAt: c.collection.updatedAt,
      tags: c.collection.tags,
    };
    const summaries: VersionSummary[] = [];
    for (const { version, artifact } of c.versions) {
      const item = this.version(artifact, lineages);
      if (!item) {
        this.partial.add(this.s.keys.model(c.path));
        continue;
      }
      if (!this.emitted.has(item.key)) {
        this.emitted.add(item.key);
        yield item;
      }
      if (info.typename === 'ArtifactSequence') {
        summaries.push(ownSummary(item));
      } else {
        const here = aliasesIn(artifact, c.path);
        summaries.push({ index: Number(version.slice(1)), aliases: here, stage: stageOf(this.s, here), owner: item.owner, ref: versionPathText(versionPathOf(artifact)) });
        this.noteSource(artifact, item);
      }
    }
    const key = this.s.keys.model(c.path);
    this.modelsDone.add(key);
    this.linkedOnly.delete(key);
    yield* this.model(info, summaries);
  }

  /** Source collections seen only through linked versions; then what the read had to leave out. */
  *finish(): Generator<InventoryItem> {
    for (const [key, { info, versions }] of this.linkedOnly) if (!this.modelsDone.has(key)) yield* this.model(info, [...versions.values()]);
    if (this.truncatedLinks) this.ctx.logger.warn(`${this.s.source}: ${this.truncatedLinks} version(s) are linked into more collections than W&B listed in one page; the rest are not recorded`);
  }

  private *model(info: CollectionInfo, summaries: VersionSummary[]): Generator<InventoryItem> {
    const key = this.s.keys.model(info.path);
    if (this.partial.has(key)) {
      const error = new MalformedResponseError(`source ${this.s.source}: model ${collectionPathText(info.path)} not updated: one of its versions could not be read`, { connector: this.s.source, item: collectionPathText(info.path) });
      this.ctx.skipped({ item: collectionPathText(info.path), key, error });
      return;
    }
    const item = this.validate(collectionModel(this.s, info, summaries), collectionPathText(info.path));
    if (item) yield item;
  }

  private version(a: Artifact, lineages: ReadonlyMap<string, Lineage | undefined>): ModelVersionItem | undefined {
    if (a.artifactMemberships?.pageInfo.hasNextPage) this.truncatedLinks += 1;
    const run = runPathOf(a);
    const lineage = run === undefined ? undefined : lineages.get(run);
    const item = this.validate(versionItem(this.s, a, lineage), versionPathText(versionPathOf(a)));
    return item?.kind === 'model_version' ? item : undefined;
  }

  /** Remembers a linked version's source collection, in case no scope of this read lists it. */
  private noteSource(a: Artifact, item: ModelVersionItem): void {
    const path = versionPathOf(a);
    const key = this.s.keys.model(path);
    if (this.covered.has(scopeOf(path)) || this.modelsDone.has(key)) return;
    let entry = this.linkedOnly.get(key);
    if (!entry) {
      const seq = a.artifactSequence;
      const info: CollectionInfo = {
        path: { entity: path.entity, project: path.project, collection: path.collection },
        type: a.artifactType.name,
        typename: 'ArtifactSequence',
        description: seq.description,
        createdAt: seq.createdAt,
        updatedAt: seq.updatedAt,
        tags: seq.tags,
        linkedOnly: true,
      };
      entry = { info, versions: new Map() };
      this.linkedOnly.set(key, entry);
    }
    entry.versions.set(path.index, ownSummary(item));
  }

  private validate(raw: InventoryItem, what: string): InventoryItem | undefined {
    try {
      return validateItem(this.s.source, raw);
    } catch (error) {
      this.ctx.skipped({ item: what, key: raw.key, error });
      return undefined;
    }
  }
}
