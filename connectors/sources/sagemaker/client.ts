import {
  DescribeEndpointCommand, DescribeEndpointConfigCommand, DescribeInferenceComponentCommand, DescribeModelCommand, DescribeModelPackageCommand,
  ListEndpointsCommand, ListInferenceComponentsCommand, ListModelPackageGroupsCommand, ListModelPackagesCommand, ListTagsCommand, type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { z } from 'zod';
import { ConnectorError, MalformedResponseError } from '../../../src/errors';
import type { Redactor } from '../../../src/http/redact';
import { wrapAwsError, type AwsScope } from '../../aws-kit';
import * as wire from './wire';

/** The signals a call obeys: a hard abort, and a soft stop that starts nothing new. */
export interface CallContext {
  signal: AbortSignal;
  stopping: AbortSignal;
}

/** Runs one API call when a slot is free: the source's bound on calls in flight, across every scope. */
export type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

export type ProbeOperation = 'ListModelPackageGroups' | 'ListModelPackages' | 'ListEndpoints' | 'ListInferenceComponents';

/** One entry of a list page: validated, or the error naming what was wrong with it. */
export type Entry<T> = { ok: true; value: T } | { ok: false; label: string; error: MalformedResponseError };

export interface ScopeClientOptions {
  sdk: SageMakerClient;
  scope: AwsScope;
  source: string;
  pageSize: number;
  limit: Limit;
  redactor: Redactor;
}

// SageMaker allows up to 50 tags per resource, and ListTags at least 50 per page: one page each.
const TAGS_PAGE = 50;

/**
 * SageMaker calls in one account × region, through the AWS SDK. Lists are paged
 * to the end; every answer is validated (see wire.ts); every error is wrapped
 * once, naming the source, scope and operation; a Describe of a resource that
 * is gone answers undefined.
 */
export class SageMakerScopeClient {
  constructor(private readonly o: ScopeClientOptions) {}

  get scope(): AwsScope {
    return this.o.scope;
  }

  modelPackageGroups(ctx: CallContext): AsyncGenerator<Entry<wire.GroupSummary>> {
    return this.list(ctx, 'ListModelPackageGroups', 'ModelPackageGroupSummaryList', wire.groupSummary, (NextToken, abortSignal) =>
      this.o.sdk.send(new ListModelPackageGroupsCommand({ MaxResults: this.o.pageSize, NextToken }), { abortSignal }),
    (e) => `model package group ${String(e.ModelPackageGroupName ?? '?')}`);
  }

  /** Every versioned package of the scope in one listing (not one per group): the fewest calls, and all the docs require. */
  modelPackages(ctx: CallContext): AsyncGenerator<Entry<wire.PackageSummary>> {
    return this.list(ctx, 'ListModelPackages', 'ModelPackageSummaryList', wire.packageSummary, (NextToken, abortSignal) =>
      this.o.sdk.send(new ListModelPackagesCommand({ ModelPackageType: 'Versioned', MaxResults: this.o.pageSize, NextToken }), { abortSignal }),
    (e) => `model package ${String(e.ModelPackageGroupName ?? '?')} version ${String(e.ModelPackageVersion ?? '?')}`);
  }

  endpoints(ctx: CallContext): AsyncGenerator<Entry<wire.EndpointSummary>> {
    return this.list(ctx, 'ListEndpoints', 'Endpoints', wire.endpointSummary, (NextToken, abortSignal) =>
      this.o.sdk.send(new ListEndpointsCommand({ MaxResults: this.o.pageSize, NextToken }), { abortSignal }),
    (e) => `endpoint ${String(e.EndpointName ?? '?')}`);
  }

  inferenceComponents(ctx: CallContext): AsyncGenerator<Entry<wire.ComponentSummary>> {
    return this.list(ctx, 'ListInferenceComponents', 'InferenceComponents', wire.componentSummary, (NextToken, abortSignal) =>
      this.o.sdk.send(new ListInferenceComponentsCommand({ MaxResults: this.o.pageSize, NextToken }), { abortSignal }),
    (e) => `inference component ${String(e.InferenceComponentName ?? '?')}`);
  }

  describeModelPackage(arn: string, ctx: CallContext): Promise<wire.PackageDetails | undefined> {
    return this.describe(ctx, 'DescribeModelPackage', `model package ${arn}`, wire.packageDetails, (abortSignal) =>
      this.o.sdk.send(new DescribeModelPackageCommand({ ModelPackageName: arn }), { abortSignal }));
  }

  describeEndpoint(name: string, ctx: CallContext): Promise<wire.EndpointDetails | undefined> {
    return this.describe(ctx, 'DescribeEndpoint', `endpoint ${name}`, wire.endpointDetails, (abortSignal) =>
      this.o.sdk.send(new DescribeEndpointCommand({ EndpointName: name }), { abortSignal }));
  }

  describeEndpointConfig(name: string, ctx: CallContext): Promise<wire.ConfigDetails | undefined> {
    return this.describe(ctx, 'DescribeEndpointConfig', `endpoint config ${name}`, wire.configDetails, (abortSignal) =>
      this.o.sdk.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name }), { abortSignal }));
  }

  describeModel(name: string, ctx: CallContext): Promise<wire.ModelDetails | undefined> {
    return this.describe(ctx, 'DescribeModel', `model ${name}`, wire.modelDetails, (abortSignal) =>
      this.o.sdk.send(new DescribeModelCommand({ ModelName: name }), { abortSignal }));
  }

  describeInferenceComponent(name: string, ctx: CallContext): Promise<wire.ComponentDetails | undefined> {
    return this.describe(ctx, 'DescribeInferenceComponent', `inference component ${name}`, wire.componentDetails, (abortSignal) =>
      this.o.sdk.send(new DescribeInferenceComponentCommand({ InferenceComponentName: name }), { abortSignal }));
  }

  /** A resource's tags; none when it is gone. */
  async tags(arn: string, ctx: CallContext): Promise<wire.Tags> {
    const tags: wire.Tags = {};
    let token: string | undefined;
    do {
      const NextToken = token;
      let out: unknown;
      try {
        out = await this.call(ctx, 'ListTags', arn, (abortSignal) => this.o.sdk.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: TAGS_PAGE, NextToken }), { abortSignal }));
      } catch (err) {
        if (isNotFound(err)) return {};
        throw err;
      }
      const page = wire.parseWire(wire.tagsPage, out, { source: this.o.source, item: `tags of ${arn}` });
      Object.assign(tags, page.Tags);
      token = page.NextToken || undefined;
      if (token !== undefined && token === NextToken) throw this.loop('ListTags', token);
    } while (token !== undefined);
    return tags;
  }

  /** The first entry of a listing, if any: a cheap call that proves credentials and permission (doctor). */
  async first(ctx: CallContext, operation: ProbeOperation): Promise<Record<string, unknown> | undefined> {
    const [member, send] = this.probes[operation];
    const out = (await this.call(ctx, operation, undefined, send)) as Record<string, unknown>;
    const items = out[member];
    const first: unknown = Array.isArray(items) ? items[0] : undefined;
    return first && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
  }

  private readonly probes: Record<ProbeOperation, [string, (abortSignal: AbortSignal) => Promise<object>]> = {
    ListModelPackageGroups: ['ModelPackageGroupSummaryList', (abortSignal) => this.o.sdk.send(new ListModelPackageGroupsCommand({ MaxResults: 1 }), { abortSignal })],
    ListModelPackages: ['ModelPackageSummaryList', (abortSignal) => this.o.sdk.send(new ListModelPackagesCommand({ ModelPackageType: 'Versioned', MaxResults: 1 }), { abortSignal })],
    ListEndpoints: ['Endpoints', (abortSignal) => this.o.sdk.send(new ListEndpointsCommand({ MaxResults: 1 }), { abortSignal })],
    ListInferenceComponents: ['InferenceComponents', (abortSignal) => this.o.sdk.send(new ListInferenceComponentsCommand({ MaxResults: 1 }), { abortSignal })],
  };

  private async *list<S extends z.ZodType>(
    ctx: CallContext,
    operation: string,
    member: string,
    schema: S,
    send: (token: string | undefined, signal: AbortSignal) => Promise<object>,
    label: (raw: Record<string, unknown>) => string,
  ): AsyncGenerator<Entry<z.output<S>>> {
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const out = (await this.call(ctx, operation, undefined, (signal) => send(token, signal))) as Record<string, unknown>;
      const items = out[member];
      if (!Array.isArray(items)) {
        throw new MalformedResponseError(`source ${this.o.source}: item ${operation} page in ${this.o.scope.id}: field ${member}: a list was expected`, { connector: this.o.source, item: operation, field: member });
      }
      for (const [i, raw] of items.entries()) {
        const fields = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
        const item = `${label(fields)} in ${this.o.scope.id}`;
        try {
          yield { ok: true, value: wire.parseWire(schema, raw, { source: this.o.source, item, path: [member, i] }) };
        } catch (error) {
          if (!(error instanceof MalformedResponseError)) throw error;
          yield { ok: false, label: item, error };
        }
      }
      token = typeof out.NextToken === 'string' && out.NextToken !== '' ? out.NextToken : undefined;
      if (token !== undefined) {
        if (seen.has(token)) throw this.loop(operation, token);
        seen.add(token);
      }
    } while (token !== undefined);
  }

  private async describe<S extends z.ZodType>(ctx: CallContext, operation: string, item: string, schema: S, send: (signal: AbortSignal) => Promise<object>): Promise<z.output<S> | undefined> {
    let out: object;
    try {
      out = await this.call(ctx, operation, item, send);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    return wire.parseWire(schema, out, { source: this.o.source, item: `${item} in ${this.o.scope.id}` });
  }

  private call<T>(ctx: CallContext, operation: string, resource: string | undefined, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.o.limit(async () => {
      const where = { connector: this.o.source, scope: this.o.scope.id, operation };
      // A soft stop starts nothing new; what was not read makes the read incomplete, never quietly shorter.
      if (ctx.stopping.aborted) throw new ConnectorError(`${this.o.source}: ${this.o.scope.id}: stopping; ${operation} not sent, so this read is incomplete`, where);
      try {
        return await send(ctx.signal);
      } catch (err) {
        if (ctx.signal.aborted) throw ctx.signal.reason ?? err;
        throw wrapAwsError(err, { ...where, resource }, this.o.redactor);
      }
    });
  }

  private loop(operation: string, token: string): ConnectorError {
    return new ConnectorError(`${this.o.source}: ${this.o.scope.id}: ${operation} returned NextToken ${token.slice(0, 40)} twice; the listing would never end`, {
      connector: this.o.source,
      scope: this.o.scope.id,
      operation,
    });
  }
}

/** SageMaker answers a Describe of a missing resource with a ValidationException "Could not find …" (or "… does not exist"). */
export function isNotFound(err: unknown): boolean {
  return err instanceof ConnectorError && err.props.awsCode === 'ValidationException' && /could not find|does not exist|not found/i.test(err.message);
}
