import { createHash } from 'node:crypto';
import type { StoredArtifact, StoredCollection, StoredEntity, StoredMembership, StoredOrg, StoredProject, StoredRun, StoredType, StoredUser } from './records';

export interface NewRun {
  /** `entity/project`. */
  project: string;
  /** The run id; counted up when absent. */
  name?: string;
  displayName?: string;
  user: string;
  state?: string;
  /** Plain values; stored as W&B's client stores them, `{"value": …, "desc": null}` per key. */
  config?: Record<string, unknown>;
  summary?: Record<string, unknown>;
  /** Artifacts the run used, as `entity/project/collection:vN`. */
  inputs?: string[];
}

export interface NewArtifact {
  /** `entity/project/collection`: the source collection, created on first use. */
  collection: string;
  type?: string;
  /** The run (by id, in the collection's project) that logged it; or a `user` who did. */
  run?: string;
  user?: string;
  metadata?: Record<string, unknown>;
  description?: string;
  aliases?: string[];
  digest?: string;
  state?: 'PENDING' | 'COMMITTED';
  tags?: string[];
}

const relayId = (kind: string, n: number) => Buffer.from(`${kind}:${n}`).toString('base64');

/** The emulator's data: entities, projects, collections, versions, links, runs; indexed for the reads it serves. */
export class WandbStore {
  readonly users = new Map<string, StoredUser>();
  readonly entities = new Map<string, StoredEntity>();
  readonly orgs = new Map<string, StoredOrg>();
  readonly artifacts = new Map<string, StoredArtifact>();
  private seq = 0;

  constructor(private readonly clock: () => number) {}

  user(username: string): StoredUser {
    let u = this.users.get(username);
    if (!u) {
      u = { id: relayId('User', this.next()), username, name: username, email: `${username}@example.com` };
      this.users.set(username, u);
    }
    return u;
  }

  entity(name: string): StoredEntity {
    let e = this.entities.get(name);
    if (!e) {
      e = { id: relayId('Entity', this.next()), name, isTeam: true, projects: [], projectsByName: new Map() };
      this.entities.set(name, e);
    }
    return e;
  }

  organization(name: string, orgEntity: string): StoredOrg {
    let org = this.orgs.get(name);
    if (!org) {
      org = { id: relayId('Organization', this.next()), name, orgEntity: this.entity(orgEntity) };
      org.orgEntity.org = org;
      this.orgs.set(name, org);
    }
    return org;
  }

  project(entityName: string, name: string): StoredProject {
    const entity = this.entity(entityName);
    let p = entity.projectsByName.get(name);
    if (!p) {
      const seq = this.next();
      p = { id: relayId('Project', seq), seq, name, entity, createdAt: this.clock(), types: new Map(), runs: new Map() };
      entity.projects.push(p);
      entity.projectsByName.set(name, p);
    }
    return p;
  }

  collection(path: string, kind: StoredCollection['kind'], typeName: string): StoredCollection {
    const [entity, project, name] = splitCollection(path);
    const type = this.type(this.project(entity, project), typeName);
    let c = type.collectionsByName.get(name);
    if (!c) {
      const seq = this.next();
      const now = this.clock();
      c = { id: relayId(kind === 'SEQUENCE' ? 'ArtifactSequence' : 'ArtifactPortfolio', seq), seq, kind, name, type, tags: [], createdAt: now, updatedAt: now, members: [], nextIndex: 0, aliases: new Map() };
      type.collections.push(c);
      type.collectionsByName.set(name, c);
    }
    if (c.kind !== kind) throw new Error(`${path} is an ${c.kind}, not an ${kind}`);
    return c;
  }

  logRun(r: NewRun): StoredRun {
    const [entity, projectName] = r.project.split('/');
    const project = this.project(entity ?? '', projectName ?? '');
    const n = this.next();
    const name = r.name ?? `run${n.toString(36).padStart(5, '0')}`;
    const config = Object.fromEntries(Object.entries(r.config ?? {}).map(([k, v]) => [k, { value: v, desc: null }]));
    config._wandb = { value: { cli_version: '0.19.0', python_version: '3.11.9' }, desc: null };
    const run: StoredRun = {
      id: relayId('Run', n),
      name,
      displayName: r.displayName,
      state: r.state ?? 'finished',
      config: JSON.stringify({ wandb_version: 1, ...config }),
      summaryMetrics: JSON.stringify({ _step: 10, _runtime: 42.5, _wandb: { runtime: 42 }, ...r.summary }),
      user: this.user(r.user),
      project,
      createdAt: this.clock(),
      inputs: (r.inputs ?? []).map((v) => this.version(v).artifact),
    };
    project.runs.set(name, run);
    return run;
  }

  logArtifact(a: NewArtifact): StoredMembership {
    const seq = this.collection(a.collection, 'SEQUENCE', a.type ?? 'model');
    const run = a.run === undefined ? undefined : seq.type.project.runs.get(a.run);
    if (a.run !== undefined && !run) throw new Error(`no run ${a.run} in ${seq.type.project.entity.name}/${seq.type.project.name}`);
    const n = this.next();
    const now = this.clock();
    const artifact = {
      id: relayId('Artifact', n),
      type: seq.type,
      digest: a.digest ?? createHash('sha256').update(`${a.collection}:${seq.nextIndex}`).digest('hex').slice(0, 32),
      state: a.state ?? 'COMMITTED',
      size: 1024 * (seq.nextIndex + 1),
      description: a.description,
      metadata: a.metadata === undefined ? undefined : JSON.stringify(a.metadata),
      tags: a.tags ?? [],
      createdAt: now,
      updatedAt: now,
      createdBy: run ? { run } : { user: this.user(a.user ?? 'anonymous') },
      memberships: [],
    } as unknown as StoredArtifact;
    const m = this.addMember(seq, artifact);
    artifact.source = m;
    for (const alias of ['latest', ...(a.aliases ?? [])]) this.setAlias(seq, alias, m);
    this.artifacts.set(artifact.id, artifact);
    return m;
  }

  /** Links a version into a portfolio (created on first use), as `artifact.link()` does; `latest` moves to it. */
  link(version: string, portfolio: string, aliases: readonly string[] = []): StoredMembership {
    const artifact = this.version(version).artifact;
    const c = this.collection(portfolio, 'PORTFOLIO', artifact.type.name);
    const existing = c.members.find((m) => m.artifact === artifact);
    const m = existing ?? this.addMember(c, artifact);
    for (const alias of existing ? aliases : ['latest', ...aliases]) this.setAlias(c, alias, m);
    return m;
  }

  /** Puts an alias on a membership, taking it off whichever other version of the collection had it. */
  setAlias(c: StoredCollection, alias: string, m: StoredMembership): void {
    if (/[/:]/.test(alias)) throw new Error(`aliases must not contain "/" or ":": ${alias}`);
    const previous = c.aliases.get(alias);
    previous?.aliases.delete(alias);
    m.aliases.add(alias);
    c.aliases.set(alias, m);
    c.updatedAt = this.clock();
  }

  removeAlias(c: StoredCollection, alias: string): void {
    c.aliases.get(alias)?.aliases.delete(alias);
    c.aliases.delete(alias);
  }

  /** Deletes a version: it leaves its collection and every collection it was linked into. */
  deleteVersion(version: string): void {
    const { artifact } = this.version(version);
    artifact.state = 'DELETED';
    for (const m of artifact.memberships) {
      m.collection.members = m.collection.members.filter((x) => x !== m);
      for (const alias of m.aliases) m.collection.aliases.delete(alias);
    }
    this.artifacts.delete(artifact.id);
  }

  /** The membership `entity/project/collection:vN` names (a source version or a link). */
  version(path: string): StoredMembership {
    const m = /^(.+):v(\d+)$/.exec(path);
    if (!m) throw new Error(`not a version path (entity/project/collection:vN): ${path}`);
    const c = this.findCollection(m[1] ?? '');
    const index = Number(m[2]);
    const found = c?.members.find((x) => x.index === index);
    if (!found) throw new Error(`no version ${path}`);
    return found;
  }

  findCollection(path: string): StoredCollection | undefined {
    const [entity, project, name] = splitCollection(path);
    for (const type of this.entities.get(entity)?.projectsByName.get(project)?.types.values() ?? []) {
      const c = type.collectionsByName.get(name);
      if (c) return c;
    }
    return undefined;
  }

  private type(project: StoredProject, name: string): StoredType {
    let t = project.types.get(name);
    if (!t) {
      const seq = this.next();
      t = { id: relayId('ArtifactType', seq), seq, name, project, createdAt: this.clock(), collections: [], collectionsByName: new Map() };
      project.types.set(name, t);
    }
    return t;
  }

  private addMember(c: StoredCollection, artifact: StoredArtifact): StoredMembership {
    const seq = this.next();
    const m: StoredMembership = { id: relayId('ArtifactCollectionMembership', seq), seq, collection: c, index: c.nextIndex, artifact, aliases: new Set(), createdAt: this.clock() };
    c.nextIndex += 1;
    c.members.push(m);
    c.updatedAt = m.createdAt;
    artifact.memberships.push(m);
    return m;
  }

  private next(): number {
    return ++this.seq;
  }
}

function splitCollection(path: string): [string, string, string] {
  const parts = path.split('/');
  if (parts.length !== 3 || parts.some((p) => p === '')) throw new Error(`not a collection path (entity/project/collection): ${path}`);
  return parts as [string, string, string];
}
