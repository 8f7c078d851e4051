import { ConnectorError } from '../../../src/errors';
import { CI_BASE, type ClassInfo } from './catalog';
import type { MappedShape } from './mapped';

export interface CatalogGap {
  /** `hidden`: an ACL hides rows of sys_db_object or sys_dictionary; `not-ci`: the mapping names a class outside cmdb_ci. */
  cause: 'hidden' | 'not-ci';
  cls: string;
  detail: string;
}

export const DICTIONARY_ACL_HINT =
  'grant the integration user read on sys_dictionary and sys_db_object (a read ACL for its role): an instance answers a user without it with an empty list, not an error, and masync cannot tell which columns exist';

/**
 * What in the catalog as the integration user reads it would make masync
 * write CIs without their identity or owner: no cmdb_ci in sys_db_object, a
 * mapped class with no columns, or one without the identity or
 * discovery_source column. A 200 with no rows is what an instance answers
 * when an ACL hides sys_dictionary, so "no columns" is a permission problem,
 * not a fact about the class.
 */
export function catalogGaps(classes: ReadonlyMap<string, ClassInfo>, shape: MappedShape, ownership: readonly string[]): CatalogGap[] {
  if (!classes.get(CI_BASE)?.exists) return [{ cause: 'hidden', cls: CI_BASE, detail: `sys_db_object shows no ${CI_BASE}, which every instance has` }];
  const gaps: CatalogGap[] = [];
  for (const cls of shape.classes.keys()) {
    const info = classes.get(cls);
    if (!info?.exists) continue;
    if (info.columns.size === 0) {
      gaps.push({ cause: 'hidden', cls, detail: `sys_dictionary shows no columns for ${cls} or its parent classes` });
      continue;
    }
    const missing = [shape.identityField, ...ownership].filter((f) => !info.columns.has(f));
    if (missing.length === 0) continue;
    const isCi = cls === CI_BASE || info.ancestors.includes(CI_BASE);
    gaps.push({ cause: isCi ? 'hidden' : 'not-ci', cls, detail: `${cls} shows no ${missing.join(' or ')} column` });
  }
  return gaps;
}

/** The error that stops a run before it writes CIs without identity or owner. */
export function catalogError(connector: string, gaps: readonly CatalogGap[]): ConnectorError {
  const hidden = gaps.some((g) => g.cause === 'hidden');
  const fix = hidden
    ? `${DICTIONARY_ACL_HINT}; or set \`columns: trust-mapping\` on sink ${connector} to write every mapped column unchecked`
    : `map CI classes only (classes under ${CI_BASE}), which have correlation_id and discovery_source`;
  return new ConnectorError(
    `${connector}: ${gaps.map((g) => g.detail).join('; ')}; masync writes no CI without its identity and owner columns. Fix: ${fix}`,
    { connector, table: hidden ? 'sys_dictionary' : (gaps[0]?.cls ?? '') },
  );
}
