/**
 * Encoded queries as the instance reads them: `^` separates conditions
 * (AND), a condition introduced by `^OR` is OR-ed with the one before it,
 * `^NQ` starts a new OR-ed group. There is no escape, so a value holding
 * `^OR…` really becomes a second condition: the emulator keeps that hazard
 * so tests can see it.
 */

export type Operator =
  | '='
  | '!='
  | 'IN'
  | 'NOT IN'
  | 'LIKE'
  | 'NOT LIKE'
  | 'STARTSWITH'
  | 'ENDSWITH'
  | 'ISEMPTY'
  | 'ISNOTEMPTY'
  | 'INSTANCEOF'
  | 'BETWEEN'
  | '>='
  | '<='
  | '>'
  | '<';

export interface Condition {
  field: string;
  op: Operator;
  value: string;
}

export interface EncodedQuery {
  /** OR of groups; a group is an AND of clauses; a clause is an OR of conditions. */
  groups: Condition[][][];
  orderBy: Array<{ field: string; desc: boolean }>;
}

/** What the evaluator needs from the table being queried. */
export interface QueryTarget {
  /** False for a name the table (or the reference a dot-walk follows) does not have. */
  isValidField(path: string): boolean;
  valueOf(row: Readonly<Record<string, string>>, path: string): string;
  isA(cls: string, base: string): boolean;
}

// Longest operators first, so INSTANCEOF is not read as IN.
const CONDITION =
  /^([a-z0-9_]+(?:\.[a-z0-9_]+)*)(NOT IN|NOT LIKE|ISNOTEMPTY|ISEMPTY|INSTANCEOF|STARTSWITH|ENDSWITH|BETWEEN|LIKE|IN|!=|>=|<=|=|>|<)(.*)$/s;

export function parseEncodedQuery(text: string): EncodedQuery {
  const orderBy: EncodedQuery['orderBy'] = [];
  const groups: Condition[][][] = [];
  for (const groupText of text.split('^NQ')) {
    const clauses: Condition[][] = [];
    groupText.split('^').forEach((term, i) => {
      if (term === '' || term === 'EQ') return;
      if (term.startsWith('ORDERBYDESC')) orderBy.push({ field: term.slice('ORDERBYDESC'.length), desc: true });
      else if (term.startsWith('ORDERBY')) orderBy.push({ field: term.slice('ORDERBY'.length), desc: false });
      else if (i > 0 && term.startsWith('OR') && clauses.length > 0) {
        const cond = parseCondition(term.slice(2));
        if (cond) clauses[clauses.length - 1]?.push(cond);
      } else {
        const cond = parseCondition(term);
        if (cond) clauses.push([cond]);
      }
    });
    groups.push(clauses);
  }
  return { groups, orderBy };
}

function parseCondition(term: string): Condition | undefined {
  const m = CONDITION.exec(term);
  if (!m) return undefined;
  return { field: m[1] as string, op: m[2] as Operator, value: instanceValue(m[3] ?? '') };
}

// The instance runs `javascript:` values; the one date helper integrations use is evaluated here, in the instance's zone (UTC).
const DATE_GENERATE = /^javascript:gs\.dateGenerate\('(\d{4}-\d{2}-\d{2})',\s*'(\d{2}:\d{2}:\d{2})'\)$/;

function instanceValue(text: string): string {
  const m = DATE_GENERATE.exec(text);
  return m ? `${m[1]} ${m[2]}` : text;
}

/** The query's groups with every condition on a field the table lacks dropped, as the instance does by default. */
export function validGroups(query: EncodedQuery, target: QueryTarget): Condition[][][] {
  return query.groups.map((g) => g.map((clause) => clause.filter((c) => target.isValidField(c.field))).filter((clause) => clause.length > 0));
}

/** Filter and order rows; conditions on invalid fields are dropped, as the instance does by default. */
export function runQuery<R extends Readonly<Record<string, string>>>(rows: Iterable<R>, query: EncodedQuery, target: QueryTarget): R[] {
  const groups = validGroups(query, target);
  const matches = (row: R) => groups.some((g) => g.every((clause) => clause.some((c) => test(c, row, target))));
  const out: R[] = [];
  for (const row of rows) if (matches(row)) out.push(row);
  const order = query.orderBy.filter((o) => target.isValidField(o.field));
  if (order.length === 0) return out;
  // Sort keys are computed once per row, not once per comparison: results run to 100,000 rows.
  const keyed = out.map((row) => ({ row, keys: order.map((o) => sortKey(target.valueOf(row, o.field))) }));
  keyed.sort((a, b) => {
    for (const [i, o] of order.entries()) {
      const d = compareKeys(a.keys[i] as SortKey, b.keys[i] as SortKey);
      if (d !== 0) return o.desc ? -d : d;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}

function test(c: Condition, row: Readonly<Record<string, string>>, target: QueryTarget): boolean {
  const v = target.valueOf(row, c.field);
  switch (c.op) {
    case '=':
      return v === c.value;
    case '!=':
      // "is not" reads "holds a value other than": an empty field matches neither `=x` nor `!=x` (SQL's NULL), as on the instance.
      return v !== '' && v !== c.value;
    case 'IN':
      return c.value.split(',').includes(v);
    case 'NOT IN':
      return !c.value.split(',').includes(v);
    case 'LIKE':
      return v.includes(c.value);
    case 'NOT LIKE':
      return !v.includes(c.value);
    case 'STARTSWITH':
      return v.startsWith(c.value);
    case 'ENDSWITH':
      return v.endsWith(c.value);
    case 'ISEMPTY':
      return v === '';
    case 'ISNOTEMPTY':
      return v !== '';
    case 'INSTANCEOF':
      return v !== '' && target.isA(v, c.value);
    case 'BETWEEN': {
      const [lo = '', hi = ''] = c.value.split('@');
      return compareValues(v, lo) >= 0 && compareValues(v, hi) <= 0;
    }
    case '>=':
      return compareValues(v, c.value) >= 0;
    case '<=':
      return compareValues(v, c.value) <= 0;
    case '>':
      return compareValues(v, c.value) > 0;
    case '<':
      return compareValues(v, c.value) < 0;
  }
}

/** Numbers compare as numbers (install_status, max_length), everything else as text. */
export function compareValues(a: string, b: string): number {
  return compareKeys(sortKey(a), sortKey(b));
}

interface SortKey {
  text: string;
  num: number;
}

function sortKey(text: string): SortKey {
  return { text, num: text === '' ? Number.NaN : Number(text) };
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (!Number.isNaN(a.num) && !Number.isNaN(b.num)) return a.num - b.num;
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}
