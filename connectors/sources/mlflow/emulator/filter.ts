import { MlflowApiError } from './store';

/**
 * The subset of MLflow's search filter language the emulator understands:
 * comparisons joined by AND, string literals in single or double quotes (no
 * escapes: MLflow's own escaping is unconfirmed), `tags.<key>` or
 * ``tags.`<key with spaces>` ``, LIKE/ILIKE with `%` and `_`, and IN lists.
 */

type Value = string | number | string[];
export interface Attribute {
  kind: 'string' | 'number';
  ops: readonly string[];
}

interface Comparison {
  key: string;
  op: string;
  value: Value;
}

/** Reads one attribute (or `tags.<k>`) of a candidate; undefined when it has none. */
export type Accessor<T> = (item: T, key: string) => string | number | undefined;

const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE'];
const TOKEN = /\s*(?:(`[^`]*`|[A-Za-z_][\w.]*(?:`[^`]*`)?)|'([^']*)'|"([^"]*)"|(-?\d+)|(<=|>=|!=|=|<|>)|([(),]))/y;

type Token = { t: 'ident' | 'string' | 'number' | 'op' | 'punct'; v: string };

/** Parses a filter into a predicate, or throws INVALID_PARAMETER_VALUE the way MLflow words it. */
export function compileFilter<T>(filter: string, attributes: Record<string, Attribute>, get: Accessor<T>): (item: T) => boolean {
  if (filter.trim() === '') return () => true;
  const comparisons = parse(tokenize(filter), filter, attributes);
  return (item) => comparisons.every((c) => test(get(item, c.key), c));
}

function tokenize(filter: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    if (filter.slice(TOKEN.lastIndex).trim() === '') break;
    const m = TOKEN.exec(filter);
    if (!m) throw invalid(`Invalid filter '${filter}'. Could not be parsed.`);
    if (m[1] !== undefined) out.push({ t: 'ident', v: m[1] });
    else if (m[2] !== undefined || m[3] !== undefined) out.push({ t: 'string', v: m[2] ?? m[3] ?? '' });
    else if (m[4] !== undefined) out.push({ t: 'number', v: m[4] });
    else if (m[5] !== undefined) out.push({ t: 'op', v: m[5] });
    else out.push({ t: 'punct', v: m[6] ?? '' });
  }
  return out;
}

function parse(tokens: Token[], filter: string, attributes: Record<string, Attribute>): Comparison[] {
  const out: Comparison[] = [];
  let i = 0;
  const next = () => tokens[i++];
  for (;;) {
    const keyToken = next();
    if (keyToken?.t !== 'ident') throw invalid(`Invalid filter '${filter}'. Expected an attribute key.`);
    const key = keyOf(keyToken.v);
    const attr = key.startsWith('tags.') ? { kind: 'string' as const, ops: STRING_OPS } : attributes[key];
    if (!attr) throw invalid(`Invalid attribute key '${key}' specified. Valid keys are '${Object.keys(attributes).join("', '")}' and 'tags.<key>'.`);
    const opToken = next();
    const op = opToken?.t === 'op' ? opToken.v : opToken?.t === 'ident' ? opToken.v.toUpperCase() : '';
    if (!attr.ops.includes(op)) throw invalid(`Invalid comparator '${op || '(none)'}' for attribute '${key}'. Valid comparators are ${attr.ops.join(', ')}.`);
    let value: Value;
    if (op === 'IN') {
      if (next()?.v !== '(') throw invalid(`Invalid filter '${filter}'. Expected '(' after IN.`);
      const list: string[] = [];
      for (;;) {
        const item = next();
        if (item?.t !== 'string') throw invalid(`Invalid filter '${filter}'. IN takes quoted strings.`);
        list.push(item.v);
        const sep = next();
        if (sep?.v === ')') break;
        if (sep?.v !== ',') throw invalid(`Invalid filter '${filter}'. Expected ',' or ')'.`);
      }
      value = list;
    } else {
      const v = next();
      if (attr.kind === 'number' ? v?.t !== 'number' : v?.t !== 'string') {
        throw invalid(`Invalid filter '${filter}'. '${key}' takes a ${attr.kind === 'number' ? 'number' : 'quoted string'}.`);
      }
      value = attr.kind === 'number' ? Number(v?.v) : (v?.v ?? '');
    }
    out.push({ key, op, value });
    const joiner = next();
    if (joiner === undefined) return out;
    if (joiner.t !== 'ident' || joiner.v.toUpperCase() !== 'AND') throw invalid(`Invalid filter '${filter}'. Only AND joins comparisons.`);
  }
}

function keyOf(ident: string): string {
  return ident.replace(/`/g, '');
}

function test(actual: string | number | undefined, c: Comparison): boolean {
  if (actual === undefined) return false;
  switch (c.op) {
    case '=':
      return actual === c.value;
    case '!=':
      return actual !== c.value;
    case 'LIKE':
    case 'ILIKE':
      return likePattern(String(c.value), c.op === 'ILIKE').test(String(actual));
    case 'IN':
      return Array.isArray(c.value) && c.value.includes(String(actual));
    case '<':
      return actual < c.value;
    case '<=':
      return actual <= c.value;
    case '>':
      return actual > c.value;
    case '>=':
      return actual >= c.value;
    default:
      return false;
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
    if (!m || !get) throw invalid(`Invalid order_by clause '${clause}'. Valid keys are '${Object.keys(keys).join("', '")}'.`);
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

function invalid(message: string): MlflowApiError {
  return new MlflowApiError('INVALID_PARAMETER_VALUE', message);
}
