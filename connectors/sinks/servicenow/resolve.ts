import type { DesiredRecord, RunContext } from '../../../src/engine/types';
import type { InstanceCatalog } from './catalog-cache';
import type { TableClient } from './client';
import { rememberLabels } from './labels';
import { resolvedLabels, resolveLookups } from './lookups';
import type { RunCache } from './run-cache';

export interface ResolveEnv {
  client: TableClient;
  catalog: InstanceCatalog;
  /** `check` the instance's columns, or `trust-mapping` and write every mapped column. */
  columns: 'check' | 'trust-mapping';
  cache: RunCache;
  connector: string;
}

/**
 * Before the diff: drop fields the instance has no column for, cut values
 * to their column's length, and turn lookup values into sys_ids. ServiceNow
 * ignores a write to an unknown column without a word, so without the first
 * step masync would plan the same update on every run, forever. A dictionary
 * that would strip identity or owner stops the run instead (the catalog
 * throws): dropping them would create blank CIs no later run can match.
 * The catalog (when not cached) and the lookups are read side by side; a
 * lookup field the instance turns out to lack is dropped like any other.
 */
export async function resolveRecords(records: DesiredRecord[], env: ResolveEnv, ctx: RunContext): Promise<DesiredRecord[]> {
  const out = records.map((r) => ({ ...r, fields: { ...r.fields }, lookups: { ...r.lookups } }));
  const [classes] = await Promise.all([
    env.columns === 'check' ? env.catalog.classes(ctx) : undefined,
    resolveLookups(out, { client: env.client, cache: env.cache, ctx, connector: env.connector }),
  ]);
  for (const rec of out) {
    const info = classes?.get(rec.class);
    if (!info) continue;
    if (!info.exists) {
      env.cache.warnOnce(ctx, `${env.connector}: class ${rec.class} does not exist on the instance; \`masync doctor\` says what to install or which mapping to use`);
      continue;
    }
    for (const [field, value] of Object.entries(rec.fields)) {
      const column = info.columns.get(field);
      if (column) {
        // The instance cuts text to the column's length; comparing the cut value keeps a long one from looking changed every run.
        // (A value no longer than the column in UTF-16 units is no longer in code points either: nothing to cut.)
        if (column.type === 'string' && column.maxLength > 0 && value.length > column.maxLength) rec.fields[field] = Array.from(value).slice(0, column.maxLength).join('');
        continue;
      }
      delete rec.fields[field];
      env.cache.warnOnce(
        ctx,
        `${env.connector}: ${rec.class} has no column ${field} (nor do its parent classes), so masync leaves it unwritten; \`masync doctor\` lists the columns to add`,
      );
    }
  }
  rememberLabels(ctx, resolvedLabels(env.cache));
  return out;
}
