import type { z } from 'zod';
import { ConnectorError, MalformedResponseError } from '../../../src/errors';
import type { WandbClient } from './client';
import { REGISTRY_PREFIX, registryProject } from './config';
import { collectionPathText, type CollectionPath } from './key';
import { MAX_PAGE_SIZE } from './paging';
import { COLLECTIONS_QUERY, REGISTRIES_QUERY, VERSIONS_QUERY } from './queries';
import { artifactSchema, collectionSchema, collectionsPageSchema, registriesPageSchema, versionsPageSchema, type Artifact, type Collection, type PageInfo, type VersionPage } from './wire';

/** A project whose collections are read: a team project, a registry, or the legacy model registry. */
export interface Scope {
  entity: string;
  project: string;
  kind: 'project' | 'registry' | 'legacy';
}

/** A version as its collection lists it: `version` is its index in that collection (`v3`). */
export interface Listed {
  version: string;
  artifact: Artifact;
}

/** A collection with every version it lists. */
export interface ReadCollection {
  collection: Omit<Collection, 'artifacts'>;
  path: CollectionPath;
  type: string;
  versions: Listed[];
}

/** Where one malformed node sits, so the source can skip it (and keep its record) instead of failing the read. */
export interface BadNode {
  error: MalformedResponseError;
  /** The collection, or (for a version) the collection it was listed in. */
  collection?: CollectionPath;
  /** The version, when its source path could still be read. */
  version?: { path: CollectionPath; index: number };
  /** `entity/project` holding whatever this node would have yielded, when that is knowable; else the whole source. */
  scope?: string;
}

export interface ReadOptions {
  pageSize: number;
  /** Ask for the run's config, summary and inputs (false: only its id, state and user). */
  lineage: boolean;
  signal: AbortSignal;
  onBadNode(bad: BadNode): void;
}

/** Pages through W&B's connections: collections with their first versions, then any further versions. */
export class WandbReader {
  constructor(private readonly client: WandbClient) {}

  /** Every collection of one artifact type in a scope, one page at a time. Throws when the project is missing. */
  async *collections(scope: Scope, type: string, opts: ReadOptions): AsyncGenerator<ReadCollection[]> {
    const where = `${scope.entity}/${scope.project}`;
    for await (const page of this.pages(`collections of ${where}`, opts.signal, async (after) => {
      const vars = { entity: scope.entity, project: scope.project, type, first: opts.pageSize, after, versions: opts.pageSize, lineage: opts.lineage };
      const data = await this.client.query('ModelCollections', COLLECTIONS_QUERY, vars, opts.signal);
      const parsed = this.client.parse(collectionsPageSchema, data, `project ${where}`);
      if (!parsed.project) throw notFound(this.client.source, scope);
      const conn = parsed.project.artifactType?.artifactCollections;
      // No artifact of this type was ever logged to the project: nothing to read, truthfully.
      return conn ?? { pageInfo: { hasNextPage: false }, edges: [] };
    })) {
      const out: ReadCollection[] = [];
      for (const [i, edge] of page.edges.entries()) {
        const at = ['project', 'artifactType', 'artifactCollections', 'edges', i, 'node'];
        const name = field(edge.node, 'name');
        const item = name ? `${where}/${name}` : `collection #${i} of a page of ${where}`;
        const collection = this.node(collectionSchema, edge.node, item, at, opts, (error) => {
          // A sequence's versions all live in its project; a portfolio's come from anywhere.
          const own = scope.kind === 'project' && field(edge.node, '__typename') === 'ArtifactSequence';
          return { error, collection: name ? { entity: scope.entity, project: scope.project, collection: name } : undefined, scope: own ? where : undefined };
        });
        if (!collection) continue;
        const path = { entity: scope.entity, project: scope.project, collection: collection.name };
        const { artifacts, ...rest } = collection;
        const own = scope.kind === 'project' && collection.__typename === 'ArtifactSequence';
        const versions = await this.versions(path, type, artifacts, [...at, 'artifacts'], { ...opts, scope: own ? where : undefined });
        out.push({ collection: rest, path, type, versions });
      }
      yield out;
    }
  }

  /** The org entity and registry projects of an organization; a named registry that is missing is an error. */
  async registries(organization: string, names: readonly string[] | undefined, signal: AbortSignal): Promise<{ orgEntity: string; projects: string[] }> {
    const wanted = names?.map(registryProject);
    // The filter is a JSON value in a variable: no name is ever spliced into the query text.
    const filters = JSON.stringify(wanted ? { name: { $in: wanted } } : { name: { $regex: `^${REGISTRY_PREFIX}` } });
    let orgEntity = '';
    const projects: string[] = [];
    for await (const page of this.pages(`registries of ${organization}`, signal, async (after) => {
      const data = await this.client.query('Registries', REGISTRIES_QUERY, { organization, filters, first: MAX_PAGE_SIZE, after }, signal);
      const org = this.client.parse(registriesPageSchema, data, `organization ${organization}`).organization;
      if (!org?.orgEntity) {
        throw new ConnectorError(`source ${this.client.source}: organization "${organization}" was not found, or this API key cannot see it`, {
          connector: this.client.source,
          organization,
        });
      }
      orgEntity = org.orgEntity.name;
      return org.orgEntity.projects ?? { pageInfo: { hasNextPage: false }, edges: [] };
    })) {
      for (const edge of page.edges) if (edge.node.name.startsWith(REGISTRY_PREFIX)) projects.push(edge.node.name);
    }
    const missing = (wanted ?? []).filter((w) => !projects.includes(w));
    if (missing.length) {
      throw new ConnectorError(`source ${this.client.source}: registr${missing.length > 1 ? 'ies' : 'y'} ${missing.join(', ')} not found in organization "${organization}", or not visible to this API key`, {
        connector: this.client.source,
        organization,
      });
    }
    return { orgEntity, projects: [...new Set(projects)].sort() };
  }

  /** All versions of a collection: the page that came with it, then follow-up pages of the largest size. */
  private async versions(path: CollectionPath, type: string, first: VersionPage, at: PropertyKey[], opts: ReadOptions & { scope?: string }): Promise<Listed[]> {
    const out: Listed[] = [];
    const where = collectionPathText(path);
    for await (const page of this.pages(`versions of ${where}`, opts.signal, async (after) => {
      if (after === undefined) return { ...first, at };
      const vars = { entity: path.entity, project: path.project, type, collection: path.collection, first: MAX_PAGE_SIZE, after, lineage: opts.lineage };
      const data = await this.client.query('CollectionVersions', VERSIONS_QUERY, vars, opts.signal);
      const parsed = this.client.parse(versionsPageSchema, data, where);
      const conn = parsed.project?.artifactType?.artifactCollection?.artifacts;
      if (!conn) throw new ConnectorError(`source ${this.client.source}: collection ${where} disappeared while its versions were read`, { connector: this.client.source });
      return { ...conn, at: ['project', 'artifactType', 'artifactCollection', 'artifacts'] };
    })) {
      for (const [i, edge] of page.edges.entries()) {
        const artifact = this.node(artifactSchema, edge.node, `${where} ${edge.version}`, [...page.at, 'edges', i, 'node'], opts, (error) => ({
          error,
          collection: path,
          version: sourceOf(edge.node),
          scope: opts.scope,
        }));
        if (artifact) out.push({ version: edge.version, artifact });
      }
    }
    return out;
  }

  /** A node parsed on its own: a malformed one is handed to `onBadNode` and left out. */
  private node<S extends z.ZodType>(schema: S, value: unknown, item: string, at: PropertyKey[], opts: ReadOptions, bad: (e: MalformedResponseError) => BadNode): z.output<S> | undefined {
    try {
      return this.client.parse(schema, value, item, at);
    } catch (err) {
      if (!(err instanceof MalformedResponseError)) throw err;
      opts.onBadNode(bad(err));
      return undefined;
    }
  }

  /** Follows `endCursor` while `hasNextPage`; a cursor seen twice would loop forever, so it fails instead. */
  private async *pages<P extends { pageInfo: PageInfo }>(what: string, signal: AbortSignal, fetch: (after?: string) => Promise<P>): AsyncGenerator<P> {
    const seen = new Set<string>();
    let after: string | undefined;
    for (;;) {
      signal.throwIfAborted();
      const page = await fetch(after);
      yield page;
      if (!page.pageInfo.hasNextPage) return;
      const cursor = page.pageInfo.endCursor;
      if (!cursor) throw new MalformedResponseError(`source ${this.client.source}: item ${what}: field pageInfo.endCursor: missing while hasNextPage is true`, { connector: this.client.source, item: what, field: 'pageInfo.endCursor' });
      if (seen.has(cursor)) throw new ConnectorError(`source ${this.client.source}: W&B returned cursor ${cursor} twice for ${what}; the listing would never end`, { connector: this.client.source });
      seen.add(cursor);
      after = cursor;
    }
  }
}

function notFound(source: string, scope: Scope): ConnectorError {
  const what = scope.kind === 'registry' ? 'registry' : scope.kind === 'legacy' ? 'legacy model registry project' : 'project';
  return new ConnectorError(`source ${source}: ${what} ${scope.entity}/${scope.project} was not found, or this API key cannot read it`, {
    connector: source,
    scope: `${scope.entity}/${scope.project}`,
    notFound: true,
  });
}

function field(node: unknown, key: string): string | undefined {
  const value = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The source path of a version node too malformed to parse, when enough of it is there. */
function sourceOf(node: unknown): BadNode['version'] {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as Record<string, unknown>;
  const seq = n.artifactSequence as Record<string, unknown> | undefined;
  const project = seq?.project as Record<string, unknown> | undefined;
  const entity = (project?.entity as Record<string, unknown> | undefined)?.name;
  if (typeof n.versionIndex !== 'number' || typeof seq?.name !== 'string' || typeof project?.name !== 'string' || typeof entity !== 'string') return undefined;
  return { path: { entity, project: project.name, collection: seq.name }, index: n.versionIndex };
}
