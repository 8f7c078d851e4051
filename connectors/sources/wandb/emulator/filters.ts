import { GraphQLError } from 'graphql';

/**
 * The part of W&B's MongoDB-style `filters` the emulator understands, on a
 * project's name: `{"name": "x"}`, `{"name": {"$eq"|"$ne": "x"}}`,
 * `{"name": {"$in"|"$nin": [...]}}`, `{"name": {"$regex": "^wandb-registry-"}}`,
 * and `$and`/`$or` of those. Anything else is refused, as an unknown key would be.
 */
export function nameFilter(filters: string | null | undefined): (name: string) => boolean {
  if (filters === null || filters === undefined || filters === '') return () => true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(filters);
  } catch {
    throw new GraphQLError('invalid filters: not valid JSON');
  }
  return compile(parsed);
}

function compile(f: unknown): (name: string) => boolean {
  if (!f || typeof f !== 'object' || Array.isArray(f)) throw new GraphQLError('invalid filters: expected an object');
  const tests = Object.entries(f as Record<string, unknown>).map(([key, value]) => {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) throw new GraphQLError(`invalid filters: ${key} takes a list`);
      const parts = value.map(compile);
      return key === '$and' ? (n: string) => parts.every((p) => p(n)) : (n: string) => parts.some((p) => p(n));
    }
    if (key !== 'name') throw new GraphQLError(`invalid filters: unsupported key ${key}`);
    return condition(value);
  });
  return (name) => tests.every((t) => t(name));
}

function condition(value: unknown): (name: string) => boolean {
  if (typeof value === 'string') return (n) => n === value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new GraphQLError('invalid filters: name takes a string or an operator');
  const ops = Object.entries(value as Record<string, unknown>).map(([op, arg]) => {
    switch (op) {
      case '$eq':
        return (n: string) => n === arg;
      case '$ne':
        return (n: string) => n !== arg;
      case '$in':
      case '$nin': {
        if (!Array.isArray(arg)) throw new GraphQLError(`invalid filters: ${op} takes a list`);
        return op === '$in' ? (n: string) => arg.includes(n) : (n: string) => !arg.includes(n);
      }
      case '$regex': {
        if (typeof arg !== 'string') throw new GraphQLError('invalid filters: $regex takes a string');
        let re: RegExp;
        try {
          re = new RegExp(arg);
        } catch {
          throw new GraphQLError(`invalid filters: bad $regex ${arg}`);
        }
        return (n: string) => re.test(n);
      }
      default:
        throw new GraphQLError(`invalid filters: unsupported operator ${op}`);
    }
  });
  return (n) => ops.every((t) => t(n));
}
