import { describeError } from '../errors';
import type { InventoryItem } from '../inventory';
import { strictSourceContext, type RunContext, type Source } from '../engine/types';

export interface SourceRead {
  source: string;
  ok: boolean;
  items: InventoryItem[];
  error?: string;
}

/**
 * Read every source at once. A source that fails yields no items and an
 * error; the caller keeps its previous state and retires nothing of it.
 */
export async function readSources(sources: readonly Source[], ctx: RunContext): Promise<SourceRead[]> {
  return Promise.all(
    sources.map(async (source): Promise<SourceRead> => {
      const items: InventoryItem[] = [];
      const seen = new Set<string>();
      try {
        for await (const item of source.list(strictSourceContext(ctx))) {
          if (seen.has(item.key)) throw new Error(`returned the key ${item.key} twice`);
          seen.add(item.key);
          items.push(item);
        }
        ctx.logger.info(`source ${source.name}: read ${items.length} item(s)`);
        return { source: source.name, ok: true, items };
      } catch (err) {
        const error = describeError(err);
        ctx.logger.error(`source ${source.name} failed; none of its records will be retired this run: ${error}`);
        return { source: source.name, ok: false, items: [], error };
      }
    }),
  );
}
