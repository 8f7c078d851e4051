import type { Condition, Expr, Query, Value } from './aql-parse';
import type { CatalogStore } from './catalog-store';
import { badRequest } from './errors';
import type { EmuObject, EmuUser } from './model';
import type { ObjectStore } from './object-store';
import { displayedValue } from './values';

export interface EvalEnv {
  catalog: CatalogStore;
  objects: ObjectStore;
  user(id: string): EmuUser | undefined;
  now(): number;
}

const KEYWORDS = new Set(['objecttype', 'objecttypeid', 'objectschema', 'objectschemaid', 'objectid', 'key', 'label']);
const DATES = new Set(['created', 'updated']);

/**
 * The objects a query matches, in id order (or its `order by`). Conditions
 * that an index answers (`objectTypeId = 23`, `"Managed by" = "masync"`,
 * `Key = X`) narrow the candidates first; everything else is checked object
 * by object. An attribute name no type in the workspace has is an error, as
 * on the real server.
 */
export function evaluate(q: Query, env: EvalEnv): EmuObject[] {
  if (q.where) checkNames(q.where, env);
  const candidates = q.where ? narrow(q.where, env) : undefined;
  const pool = candidates ? [...candidates].map((id) => env.objects.objects.get(id)).filter((o): o is EmuObject => !!o) : [...env.objects.objects.values()];
  const hits = q.where ? pool.filter((o) => matches(q.where as Expr, o, env)) : pool;
  const byId = (a: EmuObject, b: EmuObject) => Number(a.id) - Number(b.id);
  if (!q.orderBy) return hits.sort(byId);
  const { path, desc } = q.orderBy;
  const keyOf = (o: EmuObject) => (texts(path, o, env)[0] ?? '').toLowerCase();
  const compare = (x: string, y: string) => (x !== '' && y !== '' && Number.isFinite(Number(x)) && Number.isFinite(Number(y)) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0);
  return hits.sort((a, b) => (compare(keyOf(a), keyOf(b)) || byId(a, b)) * (desc ? -1 : 1));
}

function checkNames(e: Expr, env: EvalEnv): void {
  if (e.kind === 'and' || e.kind === 'or') {
    checkNames(e.left, env);
    checkNames(e.right, env);
    return;
  }
  const first = (e.path[0] as string).toLowerCase();
  if (e.path.length === 1 && KEYWORDS.has(first)) return;
  for (const step of e.path) {
    if (![...env.catalog.attrs.values()].some((a) => a.name.toLowerCase() === step.toLowerCase())) throw badRequest(`AQL: there is no attribute "${step}"`, 'qlQuery');
  }
}

/** Object ids that can match, from the indexes; undefined when no index answers. */
function narrow(e: Expr, env: EvalEnv): Set<string> | undefined {
  if (e.kind === 'and') {
    const sets = [narrow(e.left, env), narrow(e.right, env)].filter((s): s is Set<string> => !!s);
    return sets.sort((a, b) => a.size - b.size)[0];
  }
  if (e.kind === 'or') {
    const [l, r] = [narrow(e.left, env), narrow(e.right, env)];
    return l && r ? new Set([...l, ...r]) : undefined;
  }
  if (e.kind !== 'compare' || (e.op !== '=' && e.op !== '==') || e.path.length !== 1 || e.value.kind !== 'text') return undefined;
  const name = (e.path[0] as string).toLowerCase();
  const v = e.value.text;
  if (name === 'objecttypeid') return new Set(env.objects.ofType(v));
  if (name === 'objecttype') return union([...env.catalog.types.values()].filter((t) => t.name.toLowerCase() === v.toLowerCase()).map((t) => env.objects.ofType(t.id)));
  if (name === 'key') return new Set([env.objects.idOfKey(v)].filter((x): x is string => !!x));
  const attrs = [...env.catalog.attrs.values()].filter((a) => a.name.toLowerCase() === name && !a.system && a.type === 0);
  if (attrs.length === 0 || attrs.length !== [...env.catalog.attrs.values()].filter((a) => a.name.toLowerCase() === name).length) return undefined;
  return union(attrs.map((a) => env.objects.withValue(a.id, v)));
}

function union(sets: ReadonlyArray<ReadonlySet<string>>): Set<string> {
  const out = new Set<string>();
  for (const s of sets) for (const id of s) out.add(id);
  return out;
}

function matches(e: Expr, o: EmuObject, env: EvalEnv): boolean {
  if (e.kind === 'and') return matches(e.left, o, env) && matches(e.right, o, env);
  if (e.kind === 'or') return matches(e.left, o, env) || matches(e.right, o, env);
  return holds(e, o, env);
}

function holds(c: Condition, o: EmuObject, env: EvalEnv): boolean {
  const [head, ...rest] = c.path;
  if (rest.length > 0) {
    // Dot notation: the condition holds for the object when it holds for any object it references.
    const attr = env.catalog.attrNamed(o.typeId, head as string);
    if (!attr || attr.type !== 1) return false;
    return (o.values.get(attr.id) ?? []).some((id) => {
      const target = env.objects.objects.get(id);
      return target !== undefined && holds({ ...c, path: rest }, target, env);
    });
  }
  const vals = texts(c.path, o, env);
  if (c.kind === 'empty') return (vals.length === 0) !== c.negated;
  if (c.kind === 'in') {
    const wanted = c.values.map((v) => text(v, env).toLowerCase());
    return vals.some((v) => wanted.includes(v.toLowerCase())) !== c.negated;
  }
  const want = text(c.value, env);
  const lower = want.toLowerCase();
  const all = vals.length > 0 ? vals : [''];
  switch (c.op) {
    case '=':
      return all.some((v) => v.toLowerCase() === lower);
    case '==':
      return all.some((v) => v === want);
    case '!=':
      return !all.some((v) => v.toLowerCase() === lower);
    case 'like':
      return vals.some((v) => v.toLowerCase().includes(lower));
    case 'not like':
      return !vals.some((v) => v.toLowerCase().includes(lower));
    case 'startswith':
      return vals.some((v) => v.toLowerCase().startsWith(lower));
    case 'endswith':
      return vals.some((v) => v.toLowerCase().endsWith(lower));
    default:
      return vals.some((v) => ordered(c.op, v, want, DATES.has((c.path[0] as string).toLowerCase())));
  }
}

function ordered(op: string, have: string, want: string, date: boolean): boolean {
  const [a, b] = date ? [Date.parse(have), instant(want)] : Number.isFinite(Number(have)) && Number.isFinite(Number(want)) ? [Number(have), Number(want)] : [NaN, NaN];
  const cmp = Number.isNaN(a) || Number.isNaN(b) ? have.localeCompare(want) : a - b;
  return op === '<' ? cmp < 0 : op === '>' ? cmp > 0 : op === '<=' ? cmp <= 0 : cmp >= 0;
}

/** "2026-11-23 12:00" (read as UTC here), an ISO instant, or an epoch from now(). */
function instant(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  return Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}:00Z` : text);
}

/** A value as text: a literal, or what a function gives (now(-90m) → an epoch in ms). */
function text(v: Value, env: EvalEnv): string {
  if (v.kind === 'text') return v.text;
  if (v.name !== 'now') throw badRequest(`AQL: the function ${v.name}() is not supported`, 'qlQuery');
  let at = env.now();
  for (const arg of v.args) {
    const m = /^([-+]?)(\d+)([smhdw])$/.exec(arg);
    if (!m) throw badRequest(`AQL: now() takes offsets like -90m or -2h, not ${arg}`, 'qlQuery');
    const ms = Number(m[2]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[m[3] as 's'];
    at += m[1] === '-' ? -ms : ms;
  }
  return String(at);
}

/** Everything a condition on `path` (one step) compares against, for one object. */
function texts(path: string[], o: EmuObject, env: EvalEnv): string[] {
  const name = (path[0] as string).toLowerCase();
  const type = env.catalog.types.get(o.typeId);
  switch (name) {
    case 'objecttype':
      return type ? [type.name] : [];
    case 'objecttypeid':
      return [o.typeId];
    case 'objectschema': {
      const schema = type ? env.catalog.schemas.get(type.schemaId) : undefined;
      return schema ? [schema.name, schema.key] : [];
    }
    case 'objectschemaid':
      return type ? [type.schemaId] : [];
    case 'objectid':
      return [o.id];
    case 'key':
      return [o.key];
    case 'created':
      return [new Date(o.created).toISOString()];
    case 'updated':
      return [new Date(o.updated).toISOString()];
  }
  const attr = env.catalog.attrNamed(o.typeId, name);
  if (!attr) return [];
  const stored = o.values.get(attr.id) ?? [];
  if (attr.type === 2) return stored.flatMap((id) => [id, ...[env.user(id)].flatMap((u) => (u ? [u.name, u.email, u.displayName] : []))]);
  if (attr.type === 1) {
    return stored.flatMap((id) => {
      const t = env.objects.objects.get(id);
      return t ? [t.key, labelOf(t, env)] : [];
    });
  }
  return stored.map((s) => displayedValue(attr, s));
}

export function labelOf(o: EmuObject, env: Pick<EvalEnv, 'catalog'>): string {
  const label = env.catalog.attrsOf(o.typeId).find((a) => a.label);
  return (label && o.values.get(label.id)?.[0]) ?? '';
}
