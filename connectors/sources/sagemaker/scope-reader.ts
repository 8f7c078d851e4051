import type { SourceContext } from '../../../src/engine/types';
import { ConnectorError, MalformedResponseError } from '../../../src/errors';
import type { CallContext, Entry, SageMakerScopeClient } from './client';
import type { DescribeCache } from './describe-cache';
import type { MapSettings } from './map-settings';

/** What reading one account × region needs. */
export interface ScopeRead {
  client: SageMakerScopeClient;
  settings: MapSettings;
  cache: DescribeCache;
  ctx: SourceContext;
  /** The scope's own signals: a failure anywhere in the scope aborts its calls still in flight. */
  call: CallContext;
}

/** Every valid entry of a listing; a malformed one is reported as skipped (nothing in the scope retires) and left out. */
export async function collectEntries<T>(r: ScopeRead, entries: AsyncIterable<Entry<T>>, arnOf: (t: T) => string): Promise<T[]> {
  const out: T[] = [];
  for await (const e of entries) {
    if (e.ok) {
      ensureOwnArn(r, arnOf(e.value));
      out.push(e.value);
    } else r.ctx.skipped({ item: e.label, scope: r.settings.scope.id, error: e.error });
  }
  return out;
}

/**
 * Runs one resource's reads; a malformed answer skips that resource (its
 * record stays as it is), any other failure fails the scope.
 */
export async function orSkip<T>(r: ScopeRead, what: { item: string; key: string }, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof MalformedResponseError)) throw error;
    r.ctx.skipped({ item: what.item, key: what.key, scope: r.settings.scope.id, error });
    return undefined;
  }
}

// Credentials that belong to another account than the configured one would file its resources under the wrong keys.
function ensureOwnArn(r: ScopeRead, arn: string): void {
  const [, , , region, account] = arn.split(':');
  const { scope, source } = r.settings;
  if (account !== scope.account || region !== scope.region) {
    throw new ConnectorError(
      `${source}: ${scope.id}: SageMaker answered with ${arn}, a resource of ${account ?? '?'}/${region ?? '?'}: the credentials do not belong to account ${scope.account} (set accounts[].roleArn, or use credentials of that account)`,
      { connector: source, scope: scope.id },
    );
  }
}
