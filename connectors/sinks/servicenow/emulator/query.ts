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
  valueOf(row: Record<string, string>, path: string): string;
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
  return { field: m[1] as string, op: m[2] as Operator, value: m[3] ?? '' };
}

/** Filter and order rows; conditions on invalid fields are dropped, as the instance does by default. */
export function runQuery<R extends Record<string, string>>(rows: R[], query: EncodedQuery, target: QueryTarget): R[] {
  const groups = query.groups.map((g) =>
    g.map((clause) => clause.filter((c) => target.isValidField(c.field))).filter((clause) => clause.length > 0),
  );
  const matches = (row: R) => groups.some((g) => g.every((clause) => clause.some((c) => test(c, row, target))));
  const out = rows.filter(matches);
  const order = query.orderBy.filter((o) => target.isValidField(o.field));
  if (order.length === 0) return out;
  return out.sort((a, b) => {
    for (const o of order) {
      const d = compare(target.valueOf(a, o.field), target.valueOf(b, o.field));
      if (d !== 0) return o.desc ? -d : d;
    }
    return 0;
  });
}

function test(c: Condition, row: Record<string, string>, target: QueryTarget): boolean {
  const v = target.valueOf(row, c.field);
  switch (c.op) {
    case '=':
      return v === c.value;
    case '!=':
      return v !== c.value;
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
      return compare(v, lo) >= 0 && compare(v, hi) <= 0;
    }
    case '>=':
      return compare(v, c.value) >= 0;
    case '<=':
      return compare(v, c.value) <= 0;
    case '>':
      return compare(v, c.value) > 0;
    case '<':
      return compare(v, c.value) < 0;
  }
}

/** Numbers compare as numbers (install_status, max_length), everything else as text. */
function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
