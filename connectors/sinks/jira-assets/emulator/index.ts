import { randomUUID } from 'node:crypto';
import { EmulatorServer, HostedEmulator, type EmuRequest, type EmuResponse, type Route } from '../../../emulator-kit';
import { parseAql } from './aql-parse';
import { evaluate } from './aql-eval';
import { type AssetsApiEnv, handleAssets } from './assets-routes';
import { CatalogStore } from './catalog-store';
import { AssetsFault, kitErrorBody } from './errors';
import type { EmuObject, EmuRole, EmuUser } from './model';
import { ObjectStore } from './object-store';
import { Directory } from './users';
import { displayedValue } from './values';

export type { EmuObject, EmuUser } from './model';

export interface JiraAssetsEmulatorOptions {
  deployment?: 'cloud' | 'datacenter';
  /** Cloud: the site has an Assets workspace (JSM Premium or Enterprise); default true. */
  assets?: boolean;
  /** Most objects one AQL page returns, whatever is asked; default 1000. */
  maxPageSize?: number;
  now?: () => number;
}

/**
 * A local Jira with Assets: Cloud (site API, workspace discovery, the Assets
 * gateway under /jsm/assets/workspace/{id}/v1) or Data Center
 * (/rest/assets/1.0 and /rest/insight/1.0). Schemas, object types and
 * attributes can be listed and created; objects are searched by AQL and
 * written as Assets validates them. Ids are random per emulator, so nothing
 * can lean on a fixed one. The helpers below let tests seed data and act as
 * a person in the Assets UI would, without HTTP.
 */
export class JiraAssetsEmulator extends HostedEmulator {
  override readonly server: EmulatorServer;
  readonly cloud: boolean;
  readonly workspaceId = randomUUID();
  readonly catalog = new CatalogStore();
  readonly objects: ObjectStore;
  readonly directory: Directory;
  private readonly env: AssetsApiEnv;

  constructor(opts: JiraAssetsEmulatorOptions = {}) {
    super();
    this.cloud = (opts.deployment ?? 'cloud') === 'cloud';
    const now = opts.now ?? Date.now;
    this.directory = new Directory(this.cloud);
    this.objects = new ObjectStore(this.catalog, { userExists: (id) => this.directory.users.get(id)?.active === true }, now);
    this.env = {
      cloud: this.cloud,
      workspaceId: this.workspaceId,
      catalog: this.catalog,
      objects: this.objects,
      user: (id) => this.directory.users.get(id),
      now,
      maxPageSize: opts.maxPageSize ?? 1000,
    };
    const assetsApi = (req: EmuRequest): EmuResponse => {
      const caller = this.directory.caller(req);
      if (!('id' in caller)) return caller;
      if (this.cloud && req.params.ws !== this.workspaceId) return new AssetsFault(404, [`Workspace ${req.params.ws ?? ''} not found`]).response();
      return handleAssets(req, req.params.rest ?? '', caller, this.env);
    };
    const base = this.cloud ? /^\/jsm\/assets\/workspace\/(?<ws>[^/]+)\/v1\/(?<rest>.+)$/ : /^\/rest\/(?:assets|insight)\/1\.0\/(?<rest>.+)$/;
    const routes: Route[] = ['GET', 'POST', 'PUT', 'DELETE'].map((method) => ({ method, path: base, handler: assetsApi }));
    routes.push({ method: 'GET', path: this.cloud ? '/rest/api/3/user/search' : '/rest/api/2/user/search', handler: (req) => this.userSearch(req) });
    if (this.cloud) {
      const values = opts.assets === false ? [] : [{ workspaceId: this.workspaceId }];
      routes.push({ method: 'GET', path: '/rest/servicedeskapi/assets/workspace', handler: () => ({ status: 200, body: { size: values.length, start: 0, limit: 50, isLastPage: true, values } }) });
    }
    this.server = new EmulatorServer({
      name: this.cloud ? 'jira-assets-cloud' : 'jira-assets-dc',
      routes,
      authenticate: (req) => {
        const caller = this.directory.caller(req);
        return 'id' in caller ? undefined : caller;
      },
      errorBody: kitErrorBody,
    });
  }




  /** An account; with `secret`, one that can sign in (Cloud: API token for its email; Data Center: a personal access token). */
  addUser(u: { name: string; email: string; displayName?: string; role?: EmuRole; emailHidden?: boolean; active?: boolean; secret?: string }): EmuUser {
    return this.directory.add(u);
  }

  /** Schema, type and attribute ids by name: what a test needs to look at what the sink wrote. */
  typeId(typeName: string, schemaName?: string): string {
    const t = [...this.catalog.types.values()].find((x) => x.name === typeName && (schemaName === undefined || this.catalog.schemas.get(x.schemaId)?.name === schemaName));
    if (!t) throw new Error(`no object type ${typeName}`);
    return t.id;
  }

  /** Create an object as a person in the UI would: values by attribute name, references by object key, users by id. */
  createObject(typeName: string, values: Record<string, string | string[]>, schemaName?: string): EmuObject {
    const typeId = this.typeId(typeName, schemaName);
    return this.objects.create(typeId, this.inputs(typeId, values));
  }

  /** Change attributes of an object as a person would. */
  edit(objectId: string, values: Record<string, string | string[]>): EmuObject {
    return this.objects.update(objectId, undefined, this.inputs(this.objects.get(objectId).typeId, values));
  }

  /** An object's values by attribute name, as the API shows them (references by key, users by id). */
  valuesOf(objectId: string): Record<string, string[]> {
    const obj = this.objects.get(objectId);
    const out: Record<string, string[]> = {};
    for (const a of this.catalog.attrsOf(obj.typeId)) {
      const vals = obj.values.get(a.id);
      if (vals) out[a.name] = a.type === 1 ? vals.map((id) => this.objects.objects.get(id)?.key ?? id) : vals.map((v) => displayedValue(a, v));
    }
    return out;
  }

  /** Delete an attribute from an object type, as an admin would. */
  removeAttribute(typeName: string, name: string): void {
    const attr = this.catalog.attrNamed(this.typeId(typeName), name);
    if (!attr) throw new Error(`no attribute ${name} on ${typeName}`);
    this.catalog.deleteAttr(attr.id);
  }

  /** Objects an AQL query matches, evaluated exactly as the API does. */
  query(aql: string): EmuObject[] {
    return evaluate(parseAql(aql), this.env);
  }

  objectsOf(typeName: string, schemaName?: string): EmuObject[] {
    return [...this.objects.ofType(this.typeId(typeName, schemaName))].map((id) => this.objects.get(id));
  }

  private inputs(typeId: string, values: Record<string, string | string[]>) {
    return Object.entries(values).map(([name, v]) => {
      const attr = this.catalog.attrNamed(typeId, name);
      if (!attr) throw new Error(`no attribute ${name} on object type ${typeId}`);
      return { objectTypeAttributeId: attr.id, values: Array.isArray(v) ? v : [v] };
    });
  }

  private userSearch(req: EmuRequest): EmuResponse {
    const text = (this.cloud ? req.query.get('query') : req.query.get('username')) ?? '';
    const max = Number(req.query.get('maxResults') ?? '50') || 50;
    return { status: 200, body: this.directory.search(text).slice(0, max).map((u) => this.directory.render(u)) };
  }
}
