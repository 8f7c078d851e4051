import type { ConnectorDeps } from '../../../src/engine/connector';
import type { ApplyResult, CheckResult, CreateWrite, DesiredRecord, RelateWrite, RunContext, Sink, SinkRecord, SinkRelation, SinkWrite } from '../../../src/engine/types';
import type { Mapping } from '../../../src/mapping/schema';
import { applyWrite, lookupWritten, type ApplyEnv } from './apply';
import { serviceNowAuth } from './auth';
import { readRelationTypes } from './catalog';
import { checkInstance } from './check';
import { serviceNowErrorMessage, TableClient } from './client';
import type { ServiceNowConfig } from './config';
import { identityOf } from './identity';
import { mappedShape, type MappedShape } from './mapped';
import { readManagedRecords, readRelationRows } from './read';
import { resolveRecords } from './resolve';
import { RunCaches } from './run-cache';

/**
 * ServiceNow CMDB through the Table API. CIs are owned by their
 * discovery_source and matched by correlation_id (the item key, or its hash);
 * retiring patches the mapping's `retired` fields; no CI is ever deleted.
 */
export class ServiceNowSink implements Sink {
  readonly name: string;
  readonly type = 'servicenow';
  readonly relationStorage = 'rows' as const;
  readonly identity: { field: string; of(key: string): string };
  private readonly client: TableClient;
  private readonly shape: MappedShape;
  private readonly runs = new RunCaches();

  constructor(
    private readonly config: ServiceNowConfig,
    mapping: Mapping,
    deps: ConnectorDeps,
  ) {
    this.name = config.name;
    this.shape = mappedShape(mapping, config.mapping ?? 'servicenow mapping');
    this.identity = { field: mapping.identity, of: identityOf };
    const httpOptions = {
      name: config.name,
      baseURL: config.instance,
      timeoutMs: config.http.timeoutMs,
      concurrency: config.http.concurrency,
      retry: { retries: config.http.retries, maxRetryAfterMs: config.http.maxRetryAfterSec * 1000 },
      errorMessage: serviceNowErrorMessage,
    };
    const auth = serviceNowAuth(config.auth, config.name, deps.http(httpOptions), deps);
    this.client = new TableClient(deps.http({ ...httpOptions, auth }), config.name, config.pageSize);
  }

  ownershipFields(): Record<string, string> {
    return { discovery_source: this.config.discoverySource };
  }

  retiredFields(): Record<string, string> {
    return { ...this.shape.retiredFields };
  }

  readManaged(ctx: RunContext): AsyncIterable<SinkRecord> {
    return readManagedRecords(this.client, this.shape, this.config.discoverySource, ctx.signal);
  }

  async *readRelations(ctx: RunContext): AsyncIterable<SinkRelation> {
    const types = await this.relationTypes(ctx);
    yield* readRelationRows(this.client, types, this.config.discoverySource, ctx.signal);
  }

  resolve(records: DesiredRecord[], ctx: RunContext): Promise<DesiredRecord[]> {
    return resolveRecords(records, { client: this.client, shape: this.shape, cache: this.runs.of(ctx), connector: this.name }, ctx);
  }

  apply(write: SinkWrite, ctx: RunContext): Promise<ApplyResult> {
    return applyWrite(write, this.applyEnv(ctx), ctx);
  }

  lookup(write: CreateWrite | RelateWrite, ctx: RunContext): Promise<string | undefined> {
    return lookupWritten(write, this.applyEnv(ctx), ctx);
  }

  check(ctx: RunContext): Promise<CheckResult[]> {
    return checkInstance({ client: this.client, config: this.config, shape: this.shape }, ctx);
  }

  private applyEnv(ctx: RunContext): ApplyEnv {
    return {
      client: this.client,
      connector: this.name,
      identityField: this.identity.field,
      discoverySource: this.config.discoverySource,
      retiredFields: this.shape.retiredFields,
      relationTypes: () => this.relationTypes(ctx),
    };
  }

  private relationTypes(ctx: RunContext) {
    return this.runs.of(ctx).once('relation-types', () => readRelationTypes(this.client, ctx.signal));
  }
}
