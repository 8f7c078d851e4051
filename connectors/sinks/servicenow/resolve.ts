import type { DesiredRecord, RunContext } from '../../../src/engine/types';
import { AuthError, describeError } from '../../../src/errors';
import { readClasses, type ClassInfo } from './catalog';
import type { TableClient } from './client';
import { resolveLookups } from './lookups';
import type { MappedShape } from './mapped';
import type { RunCache } from './run-cache';

export interface ResolveEnv {
  client: TableClient;
  shape: MappedShape;
  cache: RunCache;
  connector: string;
}

/**
 * Before the diff: drop fields the instance has no column for, cut values
 * to their column's length, and turn lookup values into sys_ids. ServiceNow ignores a write to an unknown
 * column without a word, so without the first step masync would plan the
 * same update on every run, forever.
 */
export async function resolveRecords(records: DesiredRecord[], env: ResolveEnv, ctx: RunContext): Promise<DesiredRecord[]> {
  const out = records.map((r) => ({ ...r, fields: { ...r.fields }, lookups: { ...r.lookups } }));
  const classes = await instanceClasses(env, ctx);
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
        if (column.type === 'string' && column.maxLength > 0) rec.fields[field] = Array.from(value).slice(0, column.maxLength).join('');
        continue;
      }
      delete rec.fields[field];
      env.cache.warnOnce(
        ctx,
        `${env.connector}: ${rec.class} has no column ${field} (nor do its parent classes), so masync leaves it unwritten; \`masync doctor\` lists the columns to add`,
      );
    }
  }
  await resolveLookups(out, { client: env.client, cache: env.cache, ctx, connector: env.connector });
  return out;
}

/** Classes and their columns, or undefined when the integration user may not read the dictionary. */
async function instanceClasses(env: ResolveEnv, ctx: RunContext): Promise<Map<string, ClassInfo> | undefined> {
  try {
    return await env.cache.once('classes', () => readClasses(env.client, [...env.shape.classes.keys()], ctx.signal));
  } catch (err) {
    if (!(err instanceof AuthError) || err.props.status !== 403) throw err;
    env.cache.warnOnce(ctx, `${env.connector}: cannot read sys_db_object/sys_dictionary (${describeError(err)}); fields are written without checking the instance has their columns`);
    return undefined;
  }
}
