import { GraphQLError } from 'graphql';
import { connection, type PageArgs } from './connection';
import { nameFilter } from './filters';
import type { StoredArtifact, StoredCollection, StoredEntity, StoredMembership, StoredOrg, StoredProject, StoredRun, StoredType, StoredUser } from './records';
import type { WandbStore } from './store';

/** Per request: who the API key belongs to. */
export interface RequestContext {
  viewer: StoredUser;
}

type Args = Record<string, unknown>;
type Paged = PageArgs & Args;

/*
 * Resolvers in graphql-js's root-value style: every field is a value or a
 * function of its arguments, so nested objects are built only when a query
 * selects them. Interfaces and unions resolve by `__typename`.
 */

// W&B writes UTC timestamps without a zone designator. Seeded records share few instants: format each once.
const times = new Map<number, string>();
function time(ms: number): string {
  let t = times.get(ms);
  if (t === undefined) {
    t = new Date(ms).toISOString().replace(/\.\d{3}Z$/, '');
    if (times.size > 100_000) times.clear();
    times.set(ms, t);
  }
  return t;
}

export function rootValue(store: WandbStore): Record<string, unknown> {
  return {
    viewer: (_: Args, ctx: RequestContext) => userView(ctx.viewer),
    entity: ({ name }: Args) => {
      const e = typeof name === 'string' ? store.entities.get(name) : undefined;
      return e ? entityView(e) : null;
    },
    organization: ({ name }: Args) => {
      const o = typeof name === 'string' ? store.orgs.get(name) : undefined;
      return o ? orgView(o) : null;
    },
    project: ({ name, entityName }: Args) => {
      const p = typeof entityName === 'string' && typeof name === 'string' ? store.entities.get(entityName)?.projectsByName.get(name) : undefined;
      return p ? projectView(p) : null;
    },
    artifact: ({ id }: Args) => {
      const a = typeof id === 'string' ? store.artifacts.get(id) : undefined;
      return a ? artifactView(a) : null;
    },
  };
}

/** One view per stored object, built on first use; fields that can change read the store when asked (getters, functions). */
function cached<T extends object, V>(build: (t: T) => V): (t: T) => V {
  const views = new WeakMap<T, V>();
  return (t) => {
    let v = views.get(t);
    if (v === undefined) {
      v = build(t);
      views.set(t, v);
    }
    return v;
  };
}

const userView = cached((u: StoredUser) => {
  return { __typename: 'User', id: u.id, name: u.name, username: u.username, email: u.email ?? null, entity: u.username, organizations: [] };
});

const orgView = cached((o: StoredOrg) => {
  return { id: o.id, name: o.name, orgEntity: () => entityView(o.orgEntity) };
});

const entityView = cached((e: StoredEntity) => {
  return {
    id: e.id,
    name: e.name,
    isTeam: e.isTeam,
    organization: () => (e.org ? orgView(e.org) : null),
    projects: (args: Paged & { filters?: string | null }) => {
      const test = nameFilter(args.filters);
      return connection('Project', e.projects.filter((p) => test(p.name)), (p) => p.seq, args, (p) => ({ node: projectView(p) }));
    },
  };
});

const projectView = cached((p: StoredProject) => {
  return {
    id: p.id,
    name: p.name,
    entityName: p.entity.name,
    entity: () => entityView(p.entity),
    get description() {
      return p.description ?? null;
    },
    access: 'PRIVATE',
    createdAt: time(p.createdAt),
    artifactType: ({ name }: Args) => {
      const t = typeof name === 'string' ? p.types.get(name) : undefined;
      return t ? typeView(t) : null;
    },
    artifactTypes: (args: Paged) => connection('ArtifactType', [...p.types.values()], (t) => t.seq, args, (t) => ({ node: typeView(t) })),
    run: ({ name }: Args) => {
      const r = typeof name === 'string' ? p.runs.get(name) : undefined;
      return r ? runView(r) : null;
    },
  };
});

const typeView = cached((t: StoredType) => {
  return {
    id: t.id,
    name: t.name,
    description: null,
    createdAt: time(t.createdAt),
    project: () => projectView(t.project),
    artifactCollection: ({ name }: Args) => {
      const c = typeof name === 'string' ? t.collectionsByName.get(name) : undefined;
      return c ? collectionView(c) : null;
    },
    artifactCollections: (args: Paged & { filters?: string | null; order?: string | null; collectionTypes?: string[] | null }) => {
      unsupported(args, ['filters', 'order']);
      const kinds = args.collectionTypes;
      const list = kinds ? t.collections.filter((c) => kinds.includes(c.kind)) : t.collections;
      return connection('ArtifactCollection', list, (c) => c.seq, args, (c) => ({ node: collectionView(c) }));
    },
  };
});

const collectionView = cached((c: StoredCollection) => {
  return {
    __typename: c.kind === 'SEQUENCE' ? 'ArtifactSequence' : 'ArtifactPortfolio',
    id: c.id,
    name: c.name,
    get description() {
      return c.description ?? null;
    },
    createdAt: time(c.createdAt),
    get updatedAt() {
      return time(c.updatedAt);
    },
    state: 'READY',
    project: () => projectView(c.type.project),
    defaultArtifactType: () => typeView(c.type),
    tags: (args: Paged) => connection('Tag', c.tags.map((name, i) => ({ name, i })), (t) => t.i, args, (t) => ({ node: tagView(c.id, t.name, t.i) })),
    aliases: (args: Paged) => {
      const list = [...c.aliases.entries()].map(([alias, m], i) => ({ alias, m, i }));
      return connection('ArtifactAlias', list, (x) => x.i, args, (x) => ({ node: aliasView(x.m, x.alias) }));
    },
    artifacts: (args: Paged & { filters?: string | null; order?: string | null }) => {
      unsupported(args, ['filters', 'order']);
      return connection('Version', c.members, (m) => m.index, args, (m) => ({ version: `v${m.index}`, node: artifactView(m.artifact) }));
    },
    artifactMemberships: (args: Paged) => connection('Member', c.members, (m) => m.index, args, (m) => ({ node: membershipView(m) })),
    latestArtifact: () => {
      const m = c.members[c.members.length - 1];
      return m ? artifactView(m.artifact) : null;
    },
  };
});

const artifactView = cached((a: StoredArtifact) => {
  return {
    id: a.id,
    versionIndex: ({ artifactCollectionName: name }: Args) => (name ? (a.memberships.find((m) => m.collection.name === name)?.index ?? null) : a.source.index),
    artifactType: () => typeView(a.type),
    artifactSequence: () => collectionView(a.source.collection),
    description: a.description ?? null,
    metadata: a.metadata ?? null,
    get state() {
      return a.state;
    },
    size: a.size,
    digest: a.digest,
    commitHash: null,
    fileCount: 3,
    createdAt: time(a.createdAt),
    get updatedAt() {
      return time(a.updatedAt);
    },
    tags: a.tags.map((name, i) => tagView(a.id, name, i)),
    aliases: ({ artifactCollectionName: name }: Args) =>
      a.memberships.filter((m) => !name || m.collection.name === name).flatMap((m) => [...m.aliases].sort().map((alias) => aliasView(m, alias))),
    artifactMemberships: (args: Paged) => connection('ArtifactMembership', a.memberships, (m) => m.seq, args, (m) => ({ node: membershipView(m) })),
    createdBy: () => ('run' in a.createdBy ? runView(a.createdBy.run) : userView(a.createdBy.user)),
  };
});

function membershipView(m: StoredMembership) {
  return {
    id: m.id,
    versionIndex: m.index,
    createdAt: time(m.createdAt),
    aliases: () => [...m.aliases].sort().map((alias) => aliasView(m, alias)),
    artifactCollection: () => collectionView(m.collection),
    artifact: () => artifactView(m.artifact),
  };
}

function aliasView(m: StoredMembership, alias: string) {
  return {
    id: Buffer.from(`ArtifactAlias:${m.id}:${alias}`).toString('base64'),
    alias,
    artifactCollectionName: m.collection.name,
    artifactCollection: () => collectionView(m.collection),
    artifact: () => artifactView(m.artifact),
  };
}

function tagView(owner: string, name: string, i: number) {
  return { id: Buffer.from(`Tag:${owner}:${i}`).toString('base64'), name, tagCategoryName: 'default' };
}

const runView = cached((r: StoredRun) => {
  return {
    __typename: 'Run',
    id: r.id,
    name: r.name,
    displayName: r.displayName ?? null,
    state: r.state,
    config: r.config,
    summaryMetrics: r.summaryMetrics,
    createdAt: time(r.createdAt),
    heartbeatAt: time(r.createdAt),
    user: () => userView(r.user),
    project: () => projectView(r.project),
    inputArtifacts: (args: Paged) => connection('InputArtifact', r.inputs.map((a, i) => ({ a, i })), (x) => x.i, args, (x) => ({ node: artifactView(x.a) })),
  };
});

// The emulator implements no server-side filtering or ordering of versions; refusing beats silently ignoring.
function unsupported(args: Args, names: string[]): void {
  for (const n of names) if (args[n] !== undefined && args[n] !== null) throw new GraphQLError(`the emulator does not implement "${n}" here`);
}
