import { EmulatorServer, HostedEmulator, type EmuRequest, type EmuResponse } from '../../emulator-kit';
import { GraphqlEndpoint } from './emulator/graphql-route';
import type { StoredUser } from './emulator/records';
import { WandbStore, type NewArtifact, type NewRun } from './emulator/store';
import { SETTLED_RUN_STATES } from './run-lineage';

export type { NewArtifact, NewRun } from './emulator/store';

export interface WandbEmulatorOptions {
  /** API key → the user it belongs to. Every request must carry one as HTTP Basic `api:<key>`. */
  apiKeys: Record<string, string>;
  /** Milliseconds since the epoch for every timestamp the store writes; inject one for stable fixtures. */
  clock?: () => number;
}

/** A clock that advances `stepMs` on every reading, so seeded records get distinct, repeatable timestamps. */
export function tickingClock(startMs = Date.UTC(2026, 0, 5, 9), stepMs = 60_000): () => number {
  let t = startMs - stepMs;
  return () => (t += stepMs);
}

/**
 * A local W&B API: the GraphQL endpoint over HTTP on 127.0.0.1, executed by
 * graphql-js against the part of W&B's schema masync reads, over an in-memory
 * store seeded and changed in-process through the methods below. Paths are
 * W&B's: `entity/project/collection` and `entity/project/collection:vN`.
 */
export class WandbEmulator extends HostedEmulator {
  /** The shared emulator plumbing: `requests`, `faults`, `setRateLimit`, `onRequest`. */
  override readonly server: EmulatorServer;
  private readonly store: WandbStore;

  constructor(opts: WandbEmulatorOptions) {
    super();
    this.store = new WandbStore(opts.clock ?? Date.now);
    const endpoint = new GraphqlEndpoint(this.store);
    const users = new Map(Object.entries(opts.apiKeys).map(([key, username]) => [key, this.store.user(username)]));
    const viewerOf = (req: EmuRequest) => users.get(apiKeyOf(req) ?? '');
    this.server = new EmulatorServer({
      name: 'wandb',
      routes: [
        {
          method: 'POST',
          path: '/graphql',
          handler: (req) => endpoint.handle(req, viewerOf(req) as StoredUser),
        },
      ],
      authenticate: (req) => (viewerOf(req) ? undefined : unauthorized()),
      errorBody: (_status, message) => ({ errors: [{ message }] }),
    });
  }


  /** An organization and its org entity, which holds the registries. */
  addOrganization(name: string, orgEntity: string): void {
    this.store.organization(name, orgEntity);
  }

  /** A registry `wandb-registry-<name>` of an organization (created with it on first use). */
  addRegistry(organization: string, orgEntity: string, name: string): string {
    const org = this.store.organization(organization, orgEntity);
    const project = `wandb-registry-${name}`;
    this.store.project(org.orgEntity.name, project);
    return `${org.orgEntity.name}/${project}`;
  }

  addProject(path: string, description?: string): void {
    const [entity, name] = path.split('/');
    this.store.project(entity ?? '', name ?? '').description = description;
  }

  /** Logs a run; returns its id. */
  logRun(run: NewRun): string {
    return this.store.logRun(run).name;
  }

  /** Logs the next version of a collection (`latest` moves to it); returns its path, `…:vN`. */
  logArtifact(artifact: NewArtifact): string {
    const m = this.store.logArtifact(artifact);
    return `${artifact.collection}:v${m.index}`;
  }

  /** Description and tags of a collection. */
  setCollection(path: string, patch: { description?: string; tags?: string[] }): void {
    const c = this.collection(path);
    if (patch.description !== undefined) c.description = patch.description;
    if (patch.tags !== undefined) {
      // W&B's rule for tag names: words of letters, digits, "-" and "_", separated by spaces.
      const bad = patch.tags.find((t) => !/^[-\w]+( +[-\w]+)*$/.test(t));
      if (bad !== undefined) throw new Error(`invalid tag "${bad}": tags hold only letters, digits, "-", "_" and spaces`);
      c.tags = [...patch.tags];
    }
  }

  /** Links a version into a portfolio or registry collection; returns the link's path there (`…:vM`). */
  link(version: string, collection: string, aliases: string[] = []): string {
    return `${collection}:v${this.store.link(version, collection, aliases).index}`;
  }

  /** Puts an alias on a version of a collection (a source version or a link), moving it off any other. */
  setAlias(version: string, alias: string): void {
    const m = this.store.version(version);
    this.store.setAlias(m.collection, alias, m);
  }

  removeAlias(collection: string, alias: string): void {
    this.store.removeAlias(this.collection(collection), alias);
  }

  /** Deletes a version from its collection and every collection it was linked into. */
  deleteVersion(version: string): void {
    this.store.deleteVersion(version);
  }

  /**
   * What a read of one project's collections of a type pages through: the
   * versions each collection lists, in collection order, and per run that
   * logged one of them (`entity/project/run`), whether its lineage is settled
   * (run finished, failed, crashed or killed, version committed).
   */
  holdings(entity: string, project: string, type: string): { versions: number[]; runs: Map<string, boolean> } {
    const collections = this.store.entities.get(entity)?.projectsByName.get(project)?.types.get(type)?.collections ?? [];
    const runs = new Map<string, boolean>();
    for (const c of collections) {
      for (const m of c.members) {
        const by = m.artifact.createdBy;
        if (!('run' in by)) continue;
        const run = by.run;
        const path = `${run.project.entity.name}/${run.project.name}/${run.name}`;
        const settled = m.artifact.state === 'COMMITTED' && SETTLED_RUN_STATES.has(run.state);
        runs.set(path, (runs.get(path) ?? true) && settled);
      }
    }
    return { versions: collections.map((c) => c.members.length), runs };
  }

  /** The registries of an organization: its org entity's `wandb-registry-*` projects. */
  registryProjects(organization: string): Array<{ entity: string; project: string }> {
    const org = this.store.orgs.get(organization);
    if (!org) return [];
    return org.orgEntity.projects.filter((p) => p.name.startsWith('wandb-registry-')).map((p) => ({ entity: org.orgEntity.name, project: p.name }));
  }

  private collection(path: string) {
    const c = this.store.findCollection(path);
    if (!c) throw new Error(`no collection ${path}`);
    return c;
  }
}

function apiKeyOf(req: EmuRequest): string | undefined {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  return decoded.startsWith('api:') ? decoded.slice('api:'.length) : undefined;
}

function unauthorized(): EmuResponse {
  return { status: 401, body: { errors: [{ message: 'user is not logged in' }] }, headers: { 'WWW-Authenticate': 'Basic realm="wandb"' } };
}
