import { formatPath, type YamlSource } from '../config/yaml-file';
import { ConfigError } from '../errors';
import { ITEM_KINDS, type ItemKind } from '../inventory';
import { closestItemPath, elementFields, itemPathValue, itemPaths, type PathValue } from '../inventory/paths';
import { templatePaths } from './evaluate';
import type { Mapping } from './schema';

/**
 * Every item path a mapping reads (`from:`, template placeholders, relation
 * `to:`) must exist in the inventory schema of the kind it maps: a typo would
 * otherwise blank a field on every record while every check passes.
 * Throws one ConfigError listing each unknown path with where it is and the
 * nearest valid one.
 */
export function checkMappingPaths(mapping: Mapping, src: YamlSource): void {
  const problems: string[] = [];
  const report = (at: PropertyKey[], message: string) => problems.push(`${src.where(at)}: ${formatPath(at)}: ${message}`);
  for (const kind of ITEM_KINDS) {
    const km = mapping.kinds[kind];
    if (!km) continue;
    const fieldsKey = spelledFieldsKey(src.data, kind);
    for (const [field, spec] of Object.entries(km.fields)) {
      const at = ['kinds', kind, fieldsKey, field];
      if (spec.from !== undefined && !itemPathValue(kind, spec.from)) report([...at, 'from'], unknownPath(kind, spec.from, `"${spec.from}"`));
      for (const p of templatePaths(spec.template ?? '')) {
        if (!itemPathValue(kind, p)) report([...at, 'template'], unknownPath(kind, p, `placeholder {${p}}`));
      }
      if (spec.each !== undefined) {
        const fields = spec.from === undefined ? undefined : elementFields(kind, spec.from);
        if (!fields) report([...at, 'each'], `each needs \`from\` to name a list of objects (such as findings)`);
        else for (const p of templatePaths(spec.each)) if (!fields.includes(p)) report([...at, 'each'], `placeholder {${p}} is not a field of the elements of ${spec.from} (they have: ${fields.join(', ')})`);
      }
    }
    km.relations.forEach((rel, i) => {
      const at = ['kinds', kind, 'relations', i, 'to'];
      const value = itemPathValue(kind, rel.to);
      if (!value) report(at, unknownPath(kind, rel.to, `"${rel.to}"`, holdsKeys));
      else if (!holdsKeys(value)) report(at, `"${rel.to}" holds neither an item key nor a list of keys, so a relation cannot point with it${suggestion(kind, rel.to, holdsKeys)}`);
    });
  }
  const [head, ...rest] = problems;
  if (head !== undefined) throw new ConfigError([head, ...rest.map((p) => `  ${p}`)].join('\n'), { file: src.file });
}

const holdsKeys = (v: PathValue) => v === 'string' || v === 'strings';

function unknownPath(kind: ItemKind, path: string, what: string, accepts?: (v: PathValue) => boolean): string {
  const hint = suggestion(kind, path, accepts);
  if (hint) return `${what} is not a field of a ${kind} item${hint}`;
  const stop = deepestParent(kind, path);
  if (stop) return `${what} is not a field of a ${kind} item: "${stop}" has nothing below it (a list or a value is read whole)`;
  const top = itemPaths(kind).filter((p) => !p.path.includes('.') && (!accepts || accepts(p.value)));
  return `${what} is not a field of a ${kind} item (its fields: ${top.map((p) => (p.anyKeyBelow ? `${p.path}.<key>` : p.path)).join(', ')})`;
}

function suggestion(kind: ItemKind, path: string, accepts?: (v: PathValue) => boolean): string {
  const near = closestItemPath(kind, path, accepts);
  return near === undefined ? '' : `; did you mean "${near}"?`;
}

/** `datasets.name`: the longest valid prefix, when the path goes on below a list or a plain value. */
function deepestParent(kind: ItemKind, path: string): string | undefined {
  const parts = path.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const prefix = parts.slice(0, n).join('.');
    if (itemPathValue(kind, prefix)) return itemPaths(kind).some((p) => p.path.startsWith(`${prefix}.`)) ? undefined : prefix;
  }
  return undefined;
}

/** A kind maps `fields` (ServiceNow) or `attributes` (Jira Assets); errors point at the word the file uses. */
function spelledFieldsKey(data: unknown, kind: ItemKind): 'fields' | 'attributes' {
  const kinds = isObject(data) ? data.kinds : undefined;
  const raw = isObject(kinds) ? kinds[kind] : undefined;
  return isObject(raw) && raw.attributes !== undefined ? 'attributes' : 'fields';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
