import type { RunContext, SkippedRecord, Source, SourceContext } from '../engine/types';
import { describeError } from '../errors';
import type { InventoryItem } from '../inventory';

/** What one source gave this run, and what it could not. */
export interface SourceRead {
  source: string;
  /** False when the read as a whole failed: no items, nothing of it retires. */
  ok: boolean;
  items: InventoryItem[];
  error?: string;
  /** Scopes (accounts, regions) that could not be read, with why: nothing in them retires. */
  failedScopes: Map<string, string>;
  /** Records the source could not read; their keys (or, without one, their scope) retire nothing. */
  skipped: Array<Omit<SkippedRecord, 'error'> & { error: string }>;
  /** Items per scope ("" for a source that is one scope). */
  scopeCounts: Record<string, number>;
}

/**
 * Read every source at once. A source that fails yields no items and an
 * error; one that loses a scope or a record reports it and goes on. The
 * caller keeps the previous state of what could not be read and retires
 * nothing of it.
 */
export async function readSources(sources: readonly Source[], ctxOf: (source: string) => RunContext): Promise<SourceRead[]> {
  return Promise.all(sources.map((source) => readSource(source, ctxOf(source.name))));
}

async function readSource(source: Source, base: RunContext): Promise<SourceRead> {
  const read: SourceRead = { source: source.name, ok: false, items: [], failedScopes: new Map(), skipped: [], scopeCounts: {} };
  const ctx: SourceContext = {
    ...base,
    scopeFailed(scope, error) {
      read.failedScopes.set(scope, describeError(error));
      base.logger.error(`source ${source.name}: scope ${scope} could not be read; nothing in it is retired this run: ${describeError(error)}`);
    },
    skipped(record) {
      read.skipped.push({ ...record, error: describeError(record.error) });
      base.logger.warn(`source ${source.name}: skipped ${record.item}: ${describeError(record.error)}`);
    },
  };
  const seen = new Set<string>();
  try {
    for await (const item of source.list(ctx)) {
      if (seen.has(item.key)) throw new Error(`returned the key ${item.key} twice`);
      seen.add(item.key);
      read.items.push(item);
      const scope = source.scopeOfKey?.(item.key) ?? '';
      read.scopeCounts[scope] = (read.scopeCounts[scope] ?? 0) + 1;
    }
    read.ok = true;
    const partial = read.failedScopes.size || read.skipped.length ? ` (${read.failedScopes.size} scope(s) failed, ${read.skipped.length} record(s) skipped)` : '';
    base.logger.info(`source ${source.name}: read ${read.items.length} item(s)${partial}`);
  } catch (err) {
    read.ok = false;
    read.items = [];
    read.scopeCounts = {};
    read.error = describeError(err);
    base.logger.error(`source ${source.name} failed; none of its records will be retired this run: ${read.error}`);
  }
  return read;
}
