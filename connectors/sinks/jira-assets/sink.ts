import type { ConnectorDeps } from '../../../src/engine/connector';
import type {
  ApplyResult,
  BootstrapStep,
  CheckResult,
  CreateWrite,
  DesiredRecord,
  RelateWrite,
  RunContext,
  Sink,
  SinkReadOptions,
  SinkRecord,
  SinkRelation,
  SinkWrite,
} from '../../../src/engine/types';
import type { Mapping } from '../../../src/mapping/schema';
import { applyWrite, type ApplyEnv } from './apply';
import { bootstrapSchema } from './bootstrap';
import { loadCatalog } from './catalog';
import { CatalogClient } from './catalog-client';
import { checkAssets } from './check';
import { AssetsClient } from './client';
import { endpointOf, type JiraAssetsConfig } from './config';
import { identityOf } from './identity';
import { lookupCreated } from './lookup';
import { mappedShape, type MappedShape } from './mapped';
import { readManagedObjects, readReferenceRelations, type ReadEnv } from './read';
import { lookupRelation } from './references';
import { resolveRecords } from './resolve';
import { resolveBasisOf } from './resolve-basis';
import { RunStates } from './run-state';
import { AssetsTransport } from './transport';

/**
 * Jira Service Management Assets, Cloud or Data Center. Objects are owned by
 * their `Managed by` attribute and matched by `External key` (the item key,
 * or its hash); retiring sets the lifecycle attribute; relations are values
 * of reference attributes on the object the mapping declares them on. The
 * schema, types and attributes are resolved by name, never by a fixed id,
 * and no object is ever deleted.
 */
export class JiraAssetsSink implements Sink {
  readonly name: string;
  readonly type = 'jira-assets';
  readonly relationStorage = 'references' as const;
  readonly identity: { field: string; of(key: string): string };
  private readonly transport: AssetsTransport;
  private readonly client: AssetsClient;
  private readonly catalogClient: CatalogClient;
  private readonly shape: MappedShape;
  private readonly runs = new RunStates();

  constructor(
    private readonly config: JiraAssetsConfig,
    mapping: Mapping,
    private readonly deps: ConnectorDeps,
  ) {
    this.name = config.name;
    this.shape = mappedShape(mapping, config.mapping ?? 'jira-assets mapping');
    this.identity = { field: mapping.identity, of: identityOf };
    this.transport = new AssetsTransport(endpointOf(config), config.name, config, deps);
    this.client = new AssetsClient(this.transport, config.name, config.pageSize);
    this.catalogClient = new CatalogClient(this.transport, config.name);
  }

  ownershipFields(): Record<string, string> {
    return { [this.shape.ownership]: this.config.managedBy };
  }

  retiredFields(): Record<string, string> {
    return { ...this.shape.retired };
  }

  readManaged(ctx: RunContext, opts?: SinkReadOptions): AsyncIterable<SinkRecord> {
    return readManagedObjects(this.readEnv(ctx), ctx, opts);
  }

  readRelations(ctx: RunContext, opts?: SinkReadOptions): AsyncIterable<SinkRelation> {
    return readReferenceRelations(this.readEnv(ctx), ctx, opts);
  }

  resolve(records: DesiredRecord[], ctx: RunContext): Promise<DesiredRecord[]> {
    const state = this.runs.of(ctx);
    return resolveRecords(records, { transport: this.transport, state, connector: this.name, emailDomain: this.config.emailDomain, catalog: () => this.catalog(ctx) }, ctx);
  }

  // The run's catalog, which every run reads once anyway: the basis costs no call of its own.
  async resolveBasis(ctx: RunContext): Promise<string> {
    return resolveBasisOf(await this.catalog(ctx), { deployment: this.config.deployment, emailDomain: this.config.emailDomain });
  }

  apply(write: SinkWrite, ctx: RunContext): Promise<ApplyResult> {
    return applyWrite(write, this.applyEnv(ctx), ctx);
  }

  lookup(write: CreateWrite | RelateWrite, ctx: RunContext): Promise<string | undefined> {
    return write.op === 'create' ? lookupCreated(write, this.applyEnv(ctx), ctx) : lookupRelation(write, this.applyEnv(ctx), ctx);
  }

  bootstrap(opts: { dryRun: boolean }, ctx: RunContext): Promise<BootstrapStep[]> {
    return bootstrapSchema({ client: this.catalogClient, shape: this.shape, schemaRef: this.config.schema, schemaKey: this.config.schemaKey, connector: this.name }, opts.dryRun, ctx);
  }

  check(ctx: RunContext): Promise<CheckResult[]> {
    return checkAssets(
      { transport: this.transport, client: this.client, catalogClient: this.catalogClient, shape: this.shape, schemaRef: this.config.schema, managedBy: this.config.managedBy, connector: this.name },
      ctx,
    );
  }

  private catalog(ctx: RunContext) {
    return loadCatalog({ client: this.catalogClient, shape: this.shape, schemaRef: this.config.schema, connector: this.name, state: this.runs.of(ctx) }, ctx);
  }

  private readEnv(ctx: RunContext): ReadEnv {
    return { connector: this.name, client: this.client, shape: this.shape, managedBy: this.config.managedBy, state: this.runs.of(ctx), clock: this.deps.clock, catalog: () => this.catalog(ctx) };
  }

  private applyEnv(ctx: RunContext): ApplyEnv {
    return { client: this.client, shape: this.shape, managedBy: this.config.managedBy, connector: this.name, state: this.runs.of(ctx), catalog: () => this.catalog(ctx) };
  }
}
