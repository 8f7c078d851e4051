import type { DesiredRecord, RunContext } from '../../../src/engine/types';
import { findAttr, findType, type Catalog, type CatalogAttr } from './catalog';
import { resolveOwners, type OwnerEnv } from './owners';
import { ATTR, DEFAULT_TYPE } from './wire';

export interface ResolveEnv extends OwnerEnv {
  catalog(): Promise<Catalog>;
}

/**
 * Before the diff: leave unwritten what the schema cannot hold (an attribute
 * the type lacks, a value its type or options refuse), with one warning each,
 * and turn owners into Jira users. Assets would reject such a write, and the
 * same failed update would be planned on every run.
 */
export async function resolveRecords(records: DesiredRecord[], env: ResolveEnv, ctx: RunContext): Promise<DesiredRecord[]> {
  const out = records.map((r) => ({ ...r, fields: { ...r.fields }, lookups: { ...r.lookups } }));
  const catalog = await env.catalog();
  for (const rec of out) {
    const type = findType(catalog, rec.class);
    if (!type) continue;
    for (const [field, value] of Object.entries(rec.fields)) {
      const attr = findAttr(type, field);
      const problem = !attr
        ? `object type "${type.name}" has no attribute "${field}"; \`masync init --sink ${env.connector} --apply-schema\` adds it`
        : refusal(attr, value);
      if (problem === undefined) continue;
      delete rec.fields[field];
      env.state.warnOnce(ctx, `${env.connector}: ${problem}, so masync leaves "${field}" unwritten`);
    }
  }
  await resolveOwners(out, env, ctx);
  return out;
}

/** Why Assets would refuse `value` for `attr`, if it would. */
function refusal(attr: CatalogAttr, value: string): string | undefined {
  if (value === '' || attr.type !== ATTR.default) return undefined;
  const bad = (what: string) => `"${value}" is not ${what}, as attribute "${attr.name}" needs`;
  switch (attr.defaultTypeId) {
    case DEFAULT_TYPE.integer:
      return /^-?\d+$/.test(value) ? undefined : bad('a whole number');
    case DEFAULT_TYPE.double:
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value) ? undefined : bad('a number');
    case DEFAULT_TYPE.boolean:
      return value === 'true' || value === 'false' ? undefined : bad('true or false');
    case DEFAULT_TYPE.url:
      return /^https?:\/\/\S+$/.test(value) ? undefined : bad('an http(s) URL');
    case DEFAULT_TYPE.select:
      return attr.options === undefined || attr.options.includes(value) ? undefined : bad(`one of the options (${attr.options.join(', ')})`);
    default:
      return undefined;
  }
}
