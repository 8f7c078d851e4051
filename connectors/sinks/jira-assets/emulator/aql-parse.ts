import { badRequest } from './errors';

/**
 * AQL as the emulator understands it: `<attribute> <operator> <value>`
 * joined by AND / OR with parentheses, attributes through references by dot
 * notation (`"Model".Name = x`), `is [not] EMPTY`, `[not] in (…)`,
 * `[not] like`, `startswith`, `endswith`, functions such as `now(-90m)`, and
 * `order by`. Keywords and operators ignore case. A value is a bare word or
 * a double-quoted string in which `\"` is a quote and `\\` a backslash; an
 * unescaped quote ends the string, which is how an injection would work.
 */
export type Value = { kind: 'text'; text: string } | { kind: 'call'; name: string; args: string[] };

export type Condition =
  | { kind: 'compare'; path: string[]; op: '=' | '==' | '!=' | '<' | '>' | '<=' | '>=' | 'like' | 'not like' | 'startswith' | 'endswith'; value: Value }
  | { kind: 'in'; path: string[]; negated: boolean; values: Value[] }
  | { kind: 'empty'; path: string[]; negated: boolean };

export type Expr = { kind: 'and'; left: Expr; right: Expr } | { kind: 'or'; left: Expr; right: Expr } | Condition;

export interface Query {
  where?: Expr;
  orderBy?: { path: string[]; desc: boolean };
}

type Token = { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'op'; v: string } | { t: 'punct'; v: string };

export function parseAql(text: string): Query {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const isWord = (w: string, tok = peek()) => tok?.t === 'word' && tok.v.toLowerCase() === w;
  const fail = (what: string): never => {
    const tok = peek();
    throw badRequest(`AQL: expected ${what} but found ${tok ? JSON.stringify(tok.v) : 'the end'} in: ${text}`, 'qlQuery');
  };
  const take = () => tokens[i++] as Token;
  const expectPunct = (p: string) => (peek()?.t === 'punct' && peek()?.v === p ? take() : fail(`"${p}"`));

  const name = (): string => {
    const tok = peek();
    if (tok?.t === 'str' || (tok?.t === 'word' && !RESERVED.has(tok.v.toLowerCase()))) return take().v;
    return fail('an attribute name');
  };
  const path = (): string[] => {
    const out = [name()];
    while (peek()?.t === 'punct' && peek()?.v === '.') {
      take();
      out.push(name());
    }
    return out;
  };
  const value = (): Value => {
    const tok = peek();
    if (tok?.t === 'str') return { kind: 'text', text: take().v };
    if (tok?.t !== 'word') return fail('a value');
    take();
    if (peek()?.t === 'punct' && peek()?.v === '(') {
      take();
      const args: string[] = [];
      while (!(peek()?.t === 'punct' && peek()?.v === ')')) {
        const arg = take();
        if (!arg) return fail('")"');
        if (arg.t !== 'punct' || arg.v !== ',') args.push(arg.v);
      }
      take();
      return { kind: 'call', name: tok.v.toLowerCase(), args };
    }
    return { kind: 'text', text: tok.v };
  };
  const condition = (): Expr => {
    if (peek()?.t === 'punct' && peek()?.v === '(') {
      take();
      const inner = or();
      expectPunct(')');
      return inner;
    }
    const p = path();
    const tok = peek();
    if (tok?.t === 'op') return { kind: 'compare', path: p, op: take().v as '=', value: value() };
    if (isWord('is')) {
      take();
      const negated = isWord('not') ? (take(), true) : false;
      if (!isWord('empty')) fail('EMPTY');
      take();
      return { kind: 'empty', path: p, negated };
    }
    const negated = isWord('not') ? (take(), true) : false;
    if (isWord('in')) {
      take();
      expectPunct('(');
      const values = [value()];
      while (peek()?.t === 'punct' && peek()?.v === ',') {
        take();
        values.push(value());
      }
      expectPunct(')');
      return { kind: 'in', path: p, negated, values };
    }
    if (isWord('like')) {
      take();
      return { kind: 'compare', path: p, op: negated ? 'not like' : 'like', value: value() };
    }
    if (!negated && (isWord('startswith') || isWord('endswith'))) return { kind: 'compare', path: p, op: take().v.toLowerCase() as 'startswith', value: value() };
    return fail('an operator');
  };
  const and = (): Expr => {
    let left = condition();
    while (isWord('and')) {
      take();
      left = { kind: 'and', left, right: condition() };
    }
    return left;
  };
  const or = (): Expr => {
    let left = and();
    while (isWord('or')) {
      take();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  const query: Query = {};
  if (tokens.length > 0 && !isWord('order')) query.where = or();
  if (isWord('order')) {
    take();
    if (!isWord('by')) fail('BY');
    take();
    const p = path();
    const desc = isWord('desc') ? (take(), true) : isWord('asc') ? (take(), false) : false;
    query.orderBy = { path: p, desc };
  }
  if (i < tokens.length) fail('AND, OR or the end');
  return query;
}

const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'like', 'order', 'by']);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < text.length; ) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let v = '';
      for (i++; ; i++) {
        if (i >= text.length) throw badRequest(`AQL: a quoted value is not closed in: ${text}`, 'qlQuery');
        const d = text[i] as string;
        if (d === '\\' && i + 1 < text.length) v += text[++i];
        else if (d === '"') break;
        else v += d;
      }
      i++;
      out.push({ t: 'str', v });
    } else if ('(),.'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
    } else if ('=!<>'.includes(c)) {
      const two = text.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>='].includes(two) ? two : c;
      if (op === '!') throw badRequest(`AQL: "!" must be followed by "=" in: ${text}`, 'qlQuery');
      out.push({ t: 'op', v: op });
      i += op.length;
    } else {
      // Numbers, dates and offsets (12.5, 2026-01-01, -90m) keep their dots; names stop at one (dot notation).
      const numeric = /[-+\d]/.test(c);
      const m = (numeric ? /^[^\s()=!<>,"]+/ : /^[^\s()=!<>,".]+/).exec(text.slice(i));
      const v = m?.[0] ?? c;
      out.push({ t: 'word', v });
      i += v.length;
    }
  }
  return out;
}
