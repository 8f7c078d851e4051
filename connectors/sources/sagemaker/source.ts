import pLimit from 'p-limit';
import type { CheckResult, RunContext, Source, SourceContext } from '../../../src/engine/types';
import { AuthError, ConnectorError, MalformedResponseError, describeError } from '../../../src/errors';
import type { Redactor } from '../../../src/http/redact';
import { validateItem, type InventoryItem, type ItemKind } from '../../../src/inventory';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { wrapAwsError, type AwsAccount, type AwsScope } from '../../aws-kit';
import { checkSageMaker, credentialHint } from './check';
import type { SageMakerScopeClient } from './client';
import type { SageMakerConfig } from './config';
import { DescribeCache } from './describe-cache';
import { keyOfArn, parseKey } from './keys';
import { readHosting } from './read-hosting';
import { readRegistry } from './read-registry';
import type { ScopeRead } from './scope-reader';

export interface SageMakerSourceParts {
  config: SageMakerConfig;
  scopes: AwsScope[];
  /** The client of each scope, by scope id. */
  clients: Map<string, SageMakerScopeClient>;
  credentials: (account: AwsAccount) => AwsCredentialIdentityProvider;
  redactor: Redactor;
}

type ScopeOutcome = { ok: true; items: InventoryItem[] } | { ok: false; error: unknown };

/**
 * Reads SageMaker in every configured account × region: the model registry
 * and hosting. Each scope is read, and may fail, on its own: a failed scope is
 * reported and the others' items stream on; the read throws only when no
 * scope could be read at all.
 */
export class SageMakerSource implements Source {
  readonly type = 'sagemaker';
  readonly name: string;
  private readonly scopeIds: Set<string>;

  constructor(private readonly parts: SageMakerSourceParts) {
    this.name = parts.config.name;
    this.scopeIds = new Set(parts.scopes.map((s) => s.id));
  }

  // Only keys of the configured accounts and regions: another source may read other accounts into the same sinks.
  kindOfKey(key: string): ItemKind | undefined {
    const ref = parseKey(key);
    return ref && this.scopeIds.has(`${ref.account}/${ref.region}`) ? ref.kind : undefined;
  }

  keyOfReference(reference: string): string | undefined {
    const key = keyOfArn(reference);
    return key && this.kindOfKey(key) ? key : undefined;
  }

  scopeOfKey(key: string): string | undefined {
    const ref = parseKey(key);
    const scope = ref && `${ref.account}/${ref.region}`;
    return scope && this.scopeIds.has(scope) ? scope : undefined;
  }

  async *list(ctx: SourceContext): AsyncIterable<InventoryItem> {
    const cache = new DescribeCache(ctx.cache, ctx.full);
    const scopeSlots = pLimit(Math.max(1, this.parts.config.http.concurrency));
    const reads = this.parts.scopes.map((scope) => ({
      scope,
      outcome: scopeSlots(() => this.readScope(scope, ctx, cache)).then(
        (items): ScopeOutcome => ({ ok: true, items }),
        (error: unknown): ScopeOutcome => ({ ok: false, error }),
      ),
    }));
    ctx.progress.start('SageMaker accounts × regions', reads.length);
    const failed: Array<{ scope: AwsScope; error: unknown }> = [];
    let succeeded = 0;
    try {
      for (const { scope, outcome } of reads) {
        const result = await outcome;
        ctx.progress.tick();
        if (!result.ok) {
          failed.push({ scope, error: result.error });
          if (succeeded > 0) this.reportFailed(ctx, failed.splice(0));
          continue;
        }
        succeeded += 1;
        this.reportFailed(ctx, failed.splice(0));
        yield* result.items;
      }
    } finally {
      ctx.progress.done();
    }
    if (succeeded === 0) throw this.nothingRead(failed);
  }

  check(ctx: RunContext): Promise<CheckResult[]> {
    return checkSageMaker(this.parts, ctx);
  }

  private async readScope(scope: AwsScope, ctx: SourceContext, cache: DescribeCache): Promise<InventoryItem[]> {
    const client = this.parts.clients.get(scope.id) as SageMakerScopeClient;
    // One failure anywhere in the scope stops its calls still queued or in flight.
    const abort = new AbortController();
    const r: ScopeRead = {
      client,
      cache,
      ctx,
      call: { signal: AbortSignal.any([ctx.signal, abort.signal]), stopping: ctx.stopping },
      settings: { source: this.name, scope, ownerTag: this.parts.config.ownerTag, costCenterTag: this.parts.config.costCenterTag, observedAt: ctx.clock.now().toISOString() },
    };
    try {
      await this.resolveCredentials(scope);
      const [registry, hosting] = await Promise.all([readRegistry(r), readHosting(r)]);
      return [...registry, ...hosting].flatMap((raw) => {
        try {
          return [validateItem(this.name, raw)];
        } catch (error) {
          if (!(error instanceof MalformedResponseError)) throw error;
          ctx.skipped({ item: raw.key, key: raw.key, scope: scope.id, error });
          return [];
        }
      });
    } catch (err) {
      abort.abort(err);
      throw err;
    }
  }

  /** The account's credentials (assuming its role when it has one), so a refusal names that step, not the first SageMaker call. */
  private async resolveCredentials(scope: AwsScope): Promise<void> {
    const account = this.parts.config.accounts.find((a) => a.id === scope.account) as AwsAccount;
    try {
      await this.parts.credentials(account)();
    } catch (err) {
      const operation = account.roleArn ? 'AssumeRole' : 'credentials';
      throw wrapAwsError(err, { connector: this.name, scope: scope.id, operation, resource: account.roleArn }, this.parts.redactor);
    }
  }

  private reportFailed(ctx: SourceContext, failures: Array<{ scope: AwsScope; error: unknown }>): void {
    for (const { scope, error } of failures) {
      ctx.logger.warn(`${this.name}: ${scope.id} could not be read; nothing in it retires this run: ${describeError(error)}`);
      ctx.scopeFailed(scope.id, error);
    }
  }

  // Nothing could be read: the first scope's error, with what to do about it when it is about credentials.
  private nothingRead(failed: Array<{ scope: AwsScope; error: unknown }>): Error {
    const first = failed[0];
    if (!first) return new ConnectorError(`${this.name}: no account or region is configured`, { connector: this.name });
    const others = failed.length > 1 ? ` (and ${failed.length - 1} more of ${failed.length} scopes failed)` : '';
    const err = first.error;
    if (err instanceof AuthError) {
      const account = this.parts.config.accounts.find((a) => a.id === first.scope.account);
      return new AuthError(`${err.message}${others} (${credentialHint(err, account, this.parts.config)})`, { ...err.props, connector: this.name }, { cause: err });
    }
    if (err instanceof ConnectorError && others) return new ConnectorError(`${err.message}${others}`, { ...err.props, connector: this.name }, { cause: err, retryable: err.retryable });
    return err instanceof Error ? err : new Error(String(err));
  }
}
