import { EmulatorServer, HostedEmulator } from '../../emulator-kit';
import { InstanceAuth } from './emulator/auth';
import { batchRoute, type BatchApiMode } from './emulator/batch';
import { kitErrorBody } from './emulator/errors';
import { tableRoutes } from './emulator/routes';
import { RowSelector } from './emulator/select';
import { defineStandardTables, seedStandardData } from './emulator/standard-tables';
import { Store, SYSTEM_USER, type Row } from './emulator/store';

export type { Row } from './emulator/store';
export type { BatchApiMode } from './emulator/batch';

/** How to build the emulated instance. */
export interface ServiceNowEmulatorOptions {
  /** Install the CSDM 5 AI classes; default true. */
  aiClasses?: boolean;
  /** Register `masync` as a cmdb_ci.discovery_source choice; default true. */
  discoverySourceChoice?: boolean;
  /** Custom (u_) columns the instance lacks. */
  omitColumns?: string[];
  /** glide.oauth.inbound.client.credential.grant_type.enabled; default false, as on a fresh instance. */
  clientCredentialsGrant?: boolean;
  /** expires_in of issued tokens; default 1799. */
  tokenLifetimeSec?: number;
  /** Clock for timestamps and token expiry. */
  now?: () => number;
}

/**
 * A local ServiceNow instance speaking the Table API, the Batch API and the
 * OAuth token endpoint, with a class hierarchy, dictionary, encoded queries,
 * ACL-short pages, rate limiting, faults and seeded chaos. The store methods let tests seed data and
 * look at what a sync wrote without going through HTTP.
 */
export class ServiceNowEmulator extends HostedEmulator {
  override readonly server: EmulatorServer;
  private readonly store: Store;
  private readonly selector: RowSelector;
  private readonly auth: InstanceAuth;
  private readAcl?: (table: string, row: Row) => boolean;
  private readonly denied = new Set<string>();
  private batchApi: BatchApiMode = 'on';

  constructor(opts: ServiceNowEmulatorOptions = {}) {
    super();
    const now = opts.now ?? Date.now;
    const shape = { aiClasses: opts.aiClasses ?? true, discoverySourceChoice: opts.discoverySourceChoice ?? true, omitColumns: opts.omitColumns ?? [] };
    this.store = new Store(now);
    this.selector = new RowSelector(this.store);
    defineStandardTables(this.store, shape);
    seedStandardData(this.store, shape);
    this.auth = new InstanceAuth({ clientCredentialsGrant: opts.clientCredentialsGrant ?? false, tokenLifetimeSec: opts.tokenLifetimeSec ?? 1799, now });
    const routes = tableRoutes(this.store, this.selector, {
      canRead: (table, row) => this.readAcl?.(table, row) ?? true,
      isDenied: (table) => this.denied.has(table),
      // Only authenticated requests reach a route.
      userOf: (req) => this.auth.userOf(req) ?? '',
    });
    this.server = new EmulatorServer({
      name: 'servicenow',
      routes: [this.auth.tokenRoute(), batchRoute(() => this.server, () => this.batchApi), ...routes],
      authenticate: (req) => this.auth.authenticate(req),
      errorBody: kitErrorBody,
      clock: now,
    });
  }

  addUser(username: string, password: string): void {
    this.auth.addUser(username, password);
  }

  /** `user`: the OAuth application user its client-credentials tokens act as (default: the client id). */
  addOAuthClient(clientId: string, clientSecret: string, user?: string): void {
    this.auth.addClient(clientId, clientSecret, user);
  }

  setClientCredentialsGrant(enabled: boolean): void {
    this.auth.clientCredentialsGrant = enabled;
  }

  /** Invalidate every issued token, as an admin revoking them would. */
  revokeTokens(): void {
    this.auth.revokeTokens();
  }

  /** Insert with Table API rules (unknown columns ignored, text truncated), as `user`; returns the stored row. */
  insert(table: string, fields: Record<string, unknown>, user = SYSTEM_USER): Row {
    if (!this.store.hasTable(table)) throw new Error(`no table ${table}`);
    return this.store.insert(table, fields, user);
  }

  /** A record of `table` or one of its subclasses, with every stored column. */
  get(table: string, sysId: string): Row | undefined {
    const row = this.store.get(sysId);
    return row && this.store.isA(row.sys_class_name ?? '', table) ? row : undefined;
  }

  list(table: string): Row[] {
    return this.store.rowsOf(table);
  }

  /** Rows matching an encoded query, evaluated exactly as the HTTP API does. */
  query(table: string, encodedQuery: string): Row[] {
    return this.selector.select(table, encodedQuery).map((r) => ({ ...r }));
  }

  /** Change a record as a person in the UI would: `user` becomes its sys_updated_by. */
  setField(table: string, sysId: string, field: string, value: string, user = 'admin'): void {
    if (!this.get(table, sysId)) throw new Error(`no ${table} record ${sysId}`);
    this.store.update(sysId, table, { [field]: value }, user);
  }

  delete(table: string, sysId: string): boolean {
    return this.get(table, sysId) !== undefined && this.store.delete(sysId);
  }

  tableExists(table: string): boolean {
    return this.store.hasTable(table);
  }

  /** Drop a column's dictionary entry; reads stop returning it and writes to it are ignored. */
  removeColumn(table: string, element: string): void {
    for (const row of this.query('sys_dictionary', `name=${table}^element=${element}`)) this.store.delete(row.sys_id ?? '');
  }

  /** Row-level read ACL; pages come back short when it hides rows. Undefined allows everything. */
  setReadAcl(acl: ((table: string, row: Row) => boolean) | undefined): void {
    this.readAcl = acl;
  }

  /** Serve the Batch API, or refuse it as an instance does without the role or with the API off. */
  setBatchApi(mode: BatchApiMode): void {
    this.batchApi = mode;
  }

  /** Answer 403 to every call on `table`. */
  denyTable(table: string): void {
    this.denied.add(table);
  }
}
