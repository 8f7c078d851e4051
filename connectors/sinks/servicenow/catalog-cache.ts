import type { RunContext } from '../../../src/engine/types';
import { AuthError, describeError } from '../../../src/errors';
import { CI_BASE, readClasses, readRelationTypes, type ClassInfo, type Column, type RelationTypes } from './catalog';
import type { TableClient } from './client';
import { catalogError, catalogGaps } from './dictionary-guard';
import type { MappedShape } from './mapped';
import type { RunCaches } from './run-cache';

/** How long a catalog read is trusted across runs: a column an admin adds shows within a day, or at once with a full read. */
export const CATALOG_MAX_AGE_MS = 24 * 3600_000;

const TYPES_KEY = 'catalog.v1:relation-types';

type EncodedClasses = Array<[string, null | { ancestors: string[]; columns: Array<[string, Column]> }]>;
type EncodedTypes = Array<[string, string]>;

interface Stamped<T> {
  readAt: string;
  value: T;
}

/**
 * The instance's classes, columns and relationship types, read once per run
 * at most, and kept between runs in the connector's cache (`ctx.cache`) so a
 * run with nothing to do reads none of them. A full read reads them again;
 * so does a relationship type the cached copy does not know yet.
 */
export class InstanceCatalog {
  constructor(
    private readonly client: TableClient,
    private readonly shape: MappedShape,
    private readonly ownership: readonly string[],
    private readonly connector: string,
    private readonly runs: RunCaches,
  ) {}

  /**
   * The mapped classes (and cmdb_ci) with their columns. Throws when what the
   * user may read would strip identity or owner from the CIs; undefined when
   * the user may not read the dictionary at all (403), with one warning.
   */
  classes(ctx: RunContext): Promise<Map<string, ClassInfo> | undefined> {
    const run = this.runs.of(ctx);
    return run.once('classes', async () => {
      const names = [...this.shape.classes.keys(), CI_BASE];
      try {
        return await this.acrossRuns(ctx, `catalog.v1:classes:${[...names].sort().join(',')}`, encodeClasses, decodeClasses, async () => {
          const classes = await readClasses(this.client, names, ctx.signal);
          const gaps = catalogGaps(classes, this.shape, this.ownership);
          if (gaps.length > 0) throw catalogError(this.connector, gaps);
          return classes;
        });
      } catch (err) {
        if (!(err instanceof AuthError) || err.props.status !== 403) throw err;
        run.warnOnce(ctx, `${this.connector}: cannot read sys_db_object/sys_dictionary (${describeError(err)}); fields are written without checking the instance has their columns`);
        return undefined;
      }
    });
  }

  relationTypes(ctx: RunContext): Promise<RelationTypes> {
    return this.runs.of(ctx).once('relation-types', () => this.acrossRuns(ctx, TYPES_KEY, encodeTypes, decodeTypes, () => readRelationTypes(this.client, ctx.signal)));
  }

  /** The sys_id of a relationship type; a name the cached types lack is looked for once more per run, in case an admin just added it. */
  async relationTypeId(name: string, ctx: RunContext): Promise<string | undefined> {
    const id = (await this.relationTypes(ctx)).idByName.get(name);
    if (id) return id;
    const run = this.runs.of(ctx);
    const fresh = await run.once('relation-types-reread', async () => {
      const types = await readRelationTypes(this.client, ctx.signal);
      ctx.cache.set(TYPES_KEY, stamp(ctx, encodeTypes(types)));
      run.replace('relation-types', Promise.resolve(types));
      return types;
    });
    return fresh.idByName.get(name);
  }

  private async acrossRuns<T, J>(ctx: RunContext, key: string, encode: (v: T) => J, decode: (j: J) => T, load: () => Promise<T>): Promise<T> {
    const hit = ctx.full ? undefined : ctx.cache.get<Stamped<J>>(key);
    const age = hit ? ctx.clock.now().getTime() - Date.parse(hit.readAt) : Number.NaN;
    if (hit && age >= 0 && age < CATALOG_MAX_AGE_MS) {
      try {
        return decode(hit.value);
      } catch {
        // A copy in an older shape: read the instance again.
      }
    }
    const value = await load();
    ctx.cache.set(key, stamp(ctx, encode(value)));
    return value;
  }
}

function stamp<J>(ctx: RunContext, value: J): Stamped<J> {
  return { readAt: ctx.clock.now().toISOString(), value };
}

export function encodeClasses(classes: Map<string, ClassInfo>): EncodedClasses {
  return [...classes].map(([name, info]) => [name, info.exists ? { ancestors: info.ancestors, columns: [...info.columns] } : null]);
}

function decodeClasses(value: EncodedClasses): Map<string, ClassInfo> {
  return new Map(value.map(([name, info]): [string, ClassInfo] => [name, info ? { exists: true, ancestors: [...info.ancestors], columns: new Map(info.columns) } : { exists: false }]));
}

function encodeTypes(types: RelationTypes): EncodedTypes {
  return [...types.nameById];
}

function decodeTypes(value: EncodedTypes): RelationTypes {
  const idByName = new Map<string, string>();
  const nameById = new Map<string, string>();
  for (const [id, name] of value) {
    nameById.set(id, name);
    if (name && !idByName.has(name)) idByName.set(name, id);
  }
  return { idByName, nameById };
}
