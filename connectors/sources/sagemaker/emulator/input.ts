import { AwsFault } from '../../../aws-kit/emulator';

/*
 * Request members as SageMaker validates them: a wrong value is a 400
 * ValidationException worded as the service words it (member names in
 * lowerCamelCase).
 */

type Input = Record<string, unknown>;

function invalid(member: string, value: unknown, constraint: string): AwsFault {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return new AwsFault('ValidationException', `1 validation error detected: Value '${String(value)}' at '${name}' failed to satisfy constraint: ${constraint}`);
}

export function optionalString(input: Input, member: string): string | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new AwsFault('SerializationException', `${member}: expected a string`);
  return v;
}

export function requiredString(input: Input, member: string, pattern?: RegExp): string {
  const v = optionalString(input, member);
  if (v === undefined) throw invalid(member, null, 'Member must not be null');
  if (pattern && !pattern.test(v)) throw invalid(member, v, `Member must satisfy regular expression pattern: ${pattern.source}`);
  return v;
}

export function pageSize(input: Input, opts: { min: number; max?: number; fallback: number }): number {
  const v = input.MaxResults;
  if (v === undefined || v === null) return opts.fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new AwsFault('SerializationException', 'MaxResults: expected an integer');
  if (v < opts.min) throw invalid('MaxResults', v, `Member must have value greater than or equal to ${opts.min}`);
  if (opts.max !== undefined && v > opts.max) throw invalid('MaxResults', v, `Member must have value less than or equal to ${opts.max}`);
  return v;
}

export function oneOf<T extends string>(input: Input, member: string, allowed: readonly T[], fallback: T): T;
export function oneOf<T extends string>(input: Input, member: string, allowed: readonly T[]): T | undefined;
export function oneOf<T extends string>(input: Input, member: string, allowed: readonly T[], fallback?: T): T | undefined {
  const v = optionalString(input, member);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw invalid(member, v, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  return v as T;
}

/** SortOrder: `descending` unless the request says otherwise (or the default is ascending). */
export function isDescending(input: Input, byDefault: 'Ascending' | 'Descending'): boolean {
  return oneOf(input, 'SortOrder', ['Ascending', 'Descending'] as const, byDefault) === 'Descending';
}
