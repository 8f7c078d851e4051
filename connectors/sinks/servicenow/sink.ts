import type { ConnectorDeps } from '../../../src/engine/connector';
import { httpClientSettings } from '../../../src/http/options';
import type {
  ApplyResult,
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
  WriteResult,
} from '../../../src/engine/types';
import type { Mapping } from '../../../src/mapping/schema';
import { applyWrite, lookupWritten, type ApplyEnv } from './apply';
import { applyBatchWrites } from './apply-batch';
import { serviceNowAuth } from './auth';
import { BatchClient } from './batch-client';
import { encodeClasses, InstanceCatalog } from './catalog-cache';
import { canonicalJson } from '../../../src/inventory';
import { checkInstance } from './check';
import { serviceNowErrorMessage, TableClient } from './client';
import type { ServiceNowConfig } from './config';
import { identityOf } from './identity';
import { knownLabels } from './labels';
import { mappedShape, type MappedShape } from './mapped';
import { OwnWrites } from './own-writes';
import { readManagedRecords, readRelationRows, withTypeNames, type ReadEnv } from './read';
import { accountOf, ReadClock, readWindow, rememberReadStart, type ReadWindow } from './read-cursor';
import { resolveRecords } from './resolve';
import { RunCaches, type PendingRead } from './run-cache';

/**
 * ServiceNow CMDB through the Table API (writes batched through the Batch
 * API). CIs are owned by their discovery_source and matched by
 * correlation_id (the item key, or its hash); retiring patches the mapping's
 * `retired` fields; no CI is ever deleted.
 */
export class ServiceNowSink implements Sink {
  readonly name: string;
  readonly type = 'servicenow';
  readonly relationStorage = 'rows' as const;
  readonly identity: { field: string; of(key: string): string };
  readonly batchSize?: number;
  readonly applyBatch?: (writes: readonly SinkWrite[], ctx: RunContext) => Promise<WriteResult[]>;
  private readonly client: TableClient;
  private readonly shape: MappedShape;
  private readonly runs = new RunCaches();
  private readonly catalog: InstanceCatalog;
  private readonly batch?: BatchClient;
  /** Whose writes a stored writer name describes (instance and configured user or client; no secret). */
  private readonly account: string;

  constructor(
    private readonly config: ServiceNowConfig,
    mapping: Mapping,
    deps: ConnectorDeps,
  ) {
    this.name = config.name;
    this.shape = mappedShape(mapping, config.mapping ?? 'servicenow mapping');
    this.identity = { field: mapping.identity, of: identityOf };
    this.account = accountOf(config);
    const httpOptions = {
      name: config.name,
      baseURL: config.instance,
      ...httpClientSettings(config.http),
      errorMessage: serviceNowErrorMessage,
    };
    const auth = serviceNowAuth(config.auth, config.name, deps.http(httpOptions), deps);
    const http = deps.http({ ...httpOptions, auth });
    this.client = new TableClient(http, config.name, config.pageSize, config.http.concurrency);
    this.catalog = new InstanceCatalog(this.client, this.shape, Object.keys(this.ownershipFields()), config.name, this.runs);
    if (config.writeApi === 'batch') {
      const batch = new BatchClient(http, config.name);
      this.batch = batch;
      this.batchSize = config.batchSize;
      this.applyBatch = (writes, ctx) => {
        this.writing(ctx);
        return applyBatchWrites(writes, { ...this.applyEnv(ctx), batch, run: this.runs.of(ctx) }, ctx);
      };
    }
  }

  ownershipFields(): Record<string, string> {
    return { discovery_source: this.config.discoverySource };
  }

  retiredFields(): Record<string, string> {
    return { ...this.shape.retiredFields };
  }

  /**
   * Records, with the relations read alongside them (handed over by
   * `readRelations`): every class and cmdb_rel_ci are asked for at once, so
   * the read costs the round trips of its longest listing, not their sum.
   */
  async *readManaged(ctx: RunContext, opts: SinkReadOptions = {}): AsyncIterable<SinkRecord> {
    const run = this.runs.of(ctx);
    const window = readWindow(opts, run, ctx, this.account);
    const clock = new ReadClock();
    const env = this.readEnv(ctx, clock);
    const relations = this.relations(env, window, ctx);
    // Its failure is the read's, thrown by readRelations; unread, it must not end the process.
    relations.catch(() => undefined);
    run.read = { window, clock, relations };
    yield* readManagedRecords(env, window, ctx.signal);
  }

  /** The relations read with the records when nothing was written since; else read now. A complete read moves the read cursor. */
  async *readRelations(ctx: RunContext, opts: SinkReadOptions = {}): AsyncIterable<SinkRelation> {
    const run = this.runs.of(ctx);
    const window = readWindow(opts, run, ctx, this.account);
    const pending: PendingRead | undefined = sameWindow(run.read?.window, window) ? run.read : undefined;
    run.read = undefined;
    yield* await (pending?.relations ?? this.relations(this.readEnv(ctx), window, ctx));
    if (pending) rememberReadStart(pending.clock, ctx, this.account, run.writerUnseen);
  }

  resolve(records: DesiredRecord[], ctx: RunContext): Promise<DesiredRecord[]> {
    return resolveRecords(records, { client: this.client, catalog: this.catalog, columns: this.config.columns, cache: this.runs.of(ctx), connector: this.name }, ctx);
  }

  /** The columns `resolve` keeps and cuts values to, and whether it checks them at all. */
  async resolveBasis(ctx: RunContext): Promise<string> {
    const classes = this.config.columns === 'check' ? await this.catalog.classes(ctx) : undefined;
    return canonicalJson({ columns: this.config.columns, classes: classes ? encodeClasses(classes) : null });
  }

  apply(write: SinkWrite, ctx: RunContext): Promise<ApplyResult> {
    this.writing(ctx);
    return applyWrite(write, this.applyEnv(ctx), ctx);
  }

  lookup(write: CreateWrite | RelateWrite, ctx: RunContext): Promise<string | undefined> {
    return lookupWritten(write, this.applyEnv(ctx), ctx);
  }

  check(ctx: RunContext): Promise<CheckResult[]> {
    return checkInstance({ client: this.client, batch: this.batch, config: this.config, shape: this.shape }, ctx);
  }

  private readEnv(ctx: RunContext, clock?: ReadClock): ReadEnv {
    const run = this.runs.of(ctx);
    return {
      client: this.client,
      shape: this.shape,
      discoverySource: this.config.discoverySource,
      connector: this.name,
      labels: knownLabels(ctx),
      observe: clock?.observe,
      writerUnseen: () => {
        run.writerUnseen = true;
        run.warnOnce(ctx, `${this.name}: the instance answers without sys_updated_by; incremental reads read masync's own writes back (let the integration user read sys_updated_by)`);
      },
    };
  }

  /** cmdb_rel_ci rows and the relationship types (when not cached) side by side. */
  private async relations(env: ReadEnv, window: ReadWindow | undefined, ctx: RunContext): Promise<SinkRelation[]> {
    const rows = (async () => {
      const out: SinkRelation[] = [];
      for await (const r of readRelationRows(env, window, ctx.signal)) out.push(r);
      return out;
    })();
    const [types, read] = await Promise.all([this.catalog.relationTypes(ctx), rows]);
    return withTypeNames(read, types);
  }

  /** Relations read before a write may no longer be true after it. */
  private writing(ctx: RunContext): void {
    this.runs.of(ctx).read = undefined;
  }

  private applyEnv(ctx: RunContext): ApplyEnv {
    const run = this.runs.of(ctx);
    run.own ??= new OwnWrites(ctx, run, this.account);
    return {
      written: run.own,
      client: this.client,
      connector: this.name,
      identityField: this.identity.field,
      discoverySource: this.config.discoverySource,
      retiredFields: this.shape.retiredFields,
      relationTypeId: (name) => this.catalog.relationTypeId(name, ctx),
    };
  }
}

function sameWindow(a: ReadWindow | undefined, b: ReadWindow | undefined): boolean {
  return a?.since === b?.since && a?.own?.writer === b?.own?.writer && a?.own?.endedAt === b?.own?.endedAt;
}
