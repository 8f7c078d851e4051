import type { RunContext } from '../../../src/engine/types';
import { ConnectorError } from '../../../src/errors';

/**
 * Follows `next_page_token` until MLflow stops sending one. A token seen twice
 * would loop forever, so it fails instead. With `ahead`, the next page is
 * already requested while the caller works on this one, and never more than
 * that one: two pages in memory at most.
 */
export async function* pages<P extends { nextPageToken?: string }>(
  ctx: RunContext,
  source: string,
  fetch: (token: string | undefined) => Promise<P>,
  opts: { ahead?: boolean } = {},
): AsyncGenerator<P> {
  const seen = new Set<string>();
  const start = (token: string | undefined): Promise<P> => {
    // A stop, soft or hard, ends a read between pages; the error keeps it from looking complete.
    ctx.signal.throwIfAborted();
    ctx.stopping.throwIfAborted();
    if (token !== undefined) {
      if (seen.has(token)) throw new ConnectorError(`${source}: MLflow returned page token ${token} twice; the listing would never end`, { connector: source });
      seen.add(token);
    }
    const pending = fetch(token);
    // Failures of a prefetch surface when its page is awaited, not as an unhandled rejection meanwhile.
    pending.catch(() => undefined);
    return pending;
  };
  let next: Promise<P> | undefined = start(undefined);
  while (next) {
    const page: P = await next;
    next = undefined;
    if (opts.ahead && page.nextPageToken !== undefined) next = start(page.nextPageToken);
    yield page;
    if (!opts.ahead && page.nextPageToken !== undefined) next = start(page.nextPageToken);
  }
}
