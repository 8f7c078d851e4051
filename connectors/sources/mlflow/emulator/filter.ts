import { invalidParameter } from './api-error';

/**
 * The subset of MLflow's search filter language the emulator understands:
 * comparisons joined by AND, string literals in single or double quotes (no
 * escapes: MLflow's own escaping is unconfirmed), `tags.<key>` or
 * ``tags.`<key with spaces>` ``, LIKE/ILIKE with `%` and `_`, and IN lists.
 */

export interface Attribute {
  kind: 'string' | 'number';
  ops: readonly string[];
}

/** Which identifiers a search accepts, and what each one is. */
export interface FilterKeys {
  /** The canonical key (`run_id` for `attributes.run_id`) and its attribute, or undefined for an unknown identifier. */
  resolve(identifier: string): { key: string; attr: Attribute } | undefined;
  /** The valid keys as an error message lists them. */
  valid: string;
}

export interface Comparison {
  key: string;
  op: string;
  /** IN lists are a set, so a long list costs one lookup per candidate. */
  value: string | number | ReadonlySet<string>;
}

export interface Filter<T> {
  comparisons: readonly Comparison[];
  matches(item: T): boolean;
}

/** Reads one attribute (or `tags.<k>`) of a candidate by its canonical key; undefined when it has none. */
export type Accessor<T> = (item: T, key: string) => string | number | undefined;

export const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE'];
export const NUMBER_OPS = ['=', '!=', '<', '<=', '>', '>='];
const TOKEN = /\s*(?:(`[^`]*`|[A-Za-z_][\w.]*(?:`[^`]*`)?)|'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(<=|>=|!=|=|<|>)|([(),]))/y;

type Token = { t: 'ident' | 'string' | 'number' | 'op' | 'punct'; v: string };

/** The registry's keys: the named attributes, and `tags.<key>` for any key. */
export function registryKeys(attributes: Record<string, Attribute>): FilterKeys {
  return {
    resolve: (identifier) => {
      if (identifier.startsWith('tags.')) return { key: identifier, attr: { kind: 'string', ops: STRING_OPS } };
      const attr = attributes[identifier];
      return attr && { key: identifier, attr };
    },
    valid: `'${Object.keys(attributes).join("', '")}' and 'tags.<key>'`,
  };
}

/** Parses a filter, or throws INVALID_PARAMETER_VALUE the way MLflow words it. */
export function parseFilter<T>(filter: string, keys: FilterKeys, get: Accessor<T>): Filter<T> {
  if (filter.trim() === '') return { comparisons: [], matches: () => true };
  const comparisons = parse(tokenize(filter), filter, keys);
  const tests = comparisons.map((c) => ({ key: c.key, holds: predicate(c) }));
  return {
    comparisons,
    matches: (item) =>
      tests.every(({ key, holds }) => {
        const actual = get(item, key);
        return actual !== undefined && holds(actual);
      }),
  };
}

function tokenize(filter: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    if (filter.slice(TOKEN.lastIndex).trim() === '') break;
    const m = TOKEN.exec(filter);
    if (!m) throw invalidParameter(`Invalid filter '${filter}'. Could not be parsed.`);
    if (m[1] !== undefined) out.push({ t: 'ident', v: m[1] });
    else if (m[2] !== undefined || m[3] !== undefined) out.push({ t: 'string', v: m[2] ?? m[3] ?? '' });
    else if (m[4] !== undefined) out.push({ t: 'number', v: m[4] });
    else if (m[5] !== undefined) out.push({ t: 'op', v: m[5] });
    else out.push({ t: 'punct', v: m[6] ?? '' });
  }
  return out;
}

function parse(tokens: Token[], filter: string, keys: FilterKeys): Comparison[] {
  const out: Comparison[] = [];
  let i = 0;
  const next = () => tokens[i++];
  for (;;) {
    const keyToken = next();
    if (keyToken?.t !== 'ident') throw invalidParameter(`Invalid filter '${filter}'. Expected an attribute key.`);
    const identifier = keyOf(keyToken.v);
    const resolved = keys.resolve(identifier);
    if (!resolved) throw invalidParameter(`Invalid attribute key '${identifier}' specified. Valid keys are ${keys.valid}.`);
    const { key, attr } = resolved;
    const opToken = next();
    const op = opToken?.t === 'op' ? opToken.v : opToken?.t === 'ident' ? opToken.v.toUpperCase() : '';
    if (!attr.ops.includes(op)) throw invalidParameter(`Invalid comparator '${op || '(none)'}' for attribute '${key}'. Valid comparators are ${attr.ops.join(', ')}.`);
    let value: Comparison['value'];
    if (op === 'IN') {
      if (next()?.v !== '(') throw invalidParameter(`Invalid filter '${filter}'. Expected '(' after IN.`);
      const list: string[] = [];
      for (;;) {
        const item = next();
        if (item?.t !== 'string') throw invalidParameter(`Invalid filter '${filter}'. IN takes quoted strings.`);
        list.push(item.v);
        const sep = next();
        if (sep?.v === ')') break;
        if (sep?.v !== ',') throw invalidParameter(`Invalid filter '${filter}'. Expected ',' or ')'.`);
      }
      value = new Set(list);
    } else {
      const v = next();
      if (attr.kind === 'number' ? v?.t !== 'number' : v?.t !== 'string') {
        throw invalidParameter(`Invalid filter '${filter}'. '${key}' takes a ${attr.kind === 'number' ? 'number' : 'quoted string'}.`);
      }
      value = attr.kind === 'number' ? Number(v?.v) : (v?.v ?? '');
    }
    out.push({ key, op, value });
    const joiner = next();
    if (joiner === undefined) return out;
    if (joiner.t !== 'ident' || joiner.v.toUpperCase() !== 'AND') throw invalidParameter(`Invalid filter '${filter}'. Only AND joins comparisons.`);
  }
}

function keyOf(ident: string): string {
  return ident.replace(/`/g, '');
}

/** One comparison as a predicate, built once per request (a LIKE pattern is compiled here, not per candidate). */
function predicate(c: Comparison): (actual: string | number) => boolean {
  const v = c.value;
  if (v instanceof Set) return (actual) => v.has(String(actual));
  if (c.op === 'LIKE' || c.op === 'ILIKE') {
    const re = likePattern(String(v), c.op === 'ILIKE');
    return (actual) => re.test(String(actual));
  }
  switch (c.op) {
    case '=':
      return (actual) => actual === v;
    case '!=':
      return (actual) => actual !== v;
    case '<':
      return (actual) => actual < v;
    case '<=':
      return (actual) => actual <= v;
    case '>':
      return (actual) => actual > v;
    case '>=':
      return (actual) => actual >= v;
    default:
      return () => false;
  }
}

function likePattern(pattern: string, insensitive: boolean): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${body}$`, insensitive ? 'is' : 's');
}

/**
 * `order_by` clauses ("name", "version_number DESC") into a comparator; the
 * tiebreak clauses apply after the requested ones, as MLflow appends them.
 */
export function compileOrderBy<T>(clauses: readonly string[], keys: Record<string, (item: T) => string | number>, tiebreak: readonly string[]): (a: T, b: T) => number {
  const parsed = [...clauses, ...tiebreak].map((clause) => {
    const m = /^\s*([\w.]+)\s*(ASC|DESC)?\s*$/i.exec(clause);
    const get = m?.[1] !== undefined ? keys[m[1]] : undefined;
    if (!m || !get) throw invalidParameter(`Invalid order_by clause '${clause}'. Valid keys are '${Object.keys(keys).join("', '")}'.`);
    return { get, sign: m[2]?.toUpperCase() === 'DESC' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { get, sign } of parsed) {
      const x = get(a);
      const y = get(b);
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}
