import type { RunContext } from '../../../src/engine/types';

const KEY = 'labels.v1';

/**
 * What the reference values masync resolved in its last run name (a sys_user
 * sys_id → "alice"), kept in the connector's cache: the next run labels the
 * current values of the records it reads with them, at no extra request.
 * Only for people reading plans; nothing is decided by a label.
 */
export function knownLabels(ctx: RunContext): ReadonlyMap<string, string> {
  if (ctx.full) return new Map();
  const stored = ctx.cache.get<unknown>(KEY);
  if (typeof stored !== 'object' || stored === null) return new Map();
  return new Map(Object.entries(stored).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function rememberLabels(ctx: RunContext, labels: ReadonlyMap<string, string>): void {
  ctx.cache.set(KEY, Object.fromEntries(labels));
}
