import { z } from 'zod';
import type { CostRecord, CostStore } from './store';
import { AwsFault } from '../../../aws-kit/emulator/identities';

/*
 * Cost Explorer's filter Expression: exactly one of And, Or, Not, Dimensions,
 * Tags or CostCategories; the Values of one filter are OR-ed; MatchOptions
 * default to EQUALS, case-sensitive. The emulator knows the dimensions its
 * records carry (SERVICE, LINKED_ACCOUNT, REGION) and refuses the rest by name.
 */

export type Expression = {
  And?: Expression[];
  Or?: Expression[];
  Not?: Expression;
  Dimensions?: { Key: string; Values?: string[]; MatchOptions?: string[] };
  Tags?: { Key?: string; Values?: string[]; MatchOptions?: string[] };
  CostCategories?: unknown;
};

export const expressionSchema: z.ZodType<Expression> = z.lazy(() =>
  z.object({
    And: z.array(expressionSchema).optional(),
    Or: z.array(expressionSchema).optional(),
    Not: expressionSchema.optional(),
    Dimensions: z.object({ Key: z.string(), Values: z.array(z.string()).optional(), MatchOptions: z.array(z.string()).optional() }).optional(),
    Tags: z.object({ Key: z.string().optional(), Values: z.array(z.string()).optional(), MatchOptions: z.array(z.string()).optional() }).optional(),
    CostCategories: z.unknown().optional(),
  }),
);

const DIMENSIONS: Record<string, (r: CostRecord) => string> = {
  SERVICE: (r) => r.service,
  LINKED_ACCOUNT: (r) => r.account,
  REGION: (r) => r.region,
};

const invalid = (message: string) => new AwsFault('ValidationException', message);

/** The value a record has for a GROUP BY / filter dimension. */
export function dimensionOf(key: string): (r: CostRecord) => string {
  const f = DIMENSIONS[key];
  if (!f) throw invalid(`The emulator knows the dimensions ${Object.keys(DIMENSIONS).join(', ')}, not ${key}.`);
  return f;
}

/** Checks the expression's shape once, so evaluation per record cannot fail half-way. */
export function validateExpression(e: Expression): void {
  const present = (['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'] as const).filter((k) => e[k] !== undefined);
  if (present.length !== 1) throw invalid('Expression must have exactly one of And, Or, Not, Dimensions, Tags or CostCategories.');
  if (e.CostCategories !== undefined) throw invalid('The emulator has no cost categories.');
  if (e.And) e.And.forEach(validateExpression);
  if (e.Or) e.Or.forEach(validateExpression);
  if (e.Not) validateExpression(e.Not);
  if (e.Dimensions) dimensionOf(e.Dimensions.Key);
  if (e.Tags && !e.Tags.Key) throw invalid('Tags expression requires a Key.');
  for (const o of [...(e.Dimensions?.MatchOptions ?? []), ...(e.Tags?.MatchOptions ?? [])]) {
    if (!['EQUALS', 'ABSENT', 'CASE_SENSITIVE', 'CASE_INSENSITIVE'].includes(o)) throw invalid(`The emulator does not implement MatchOptions ${o}.`);
  }
}

export function matches(e: Expression, r: CostRecord, store: CostStore): boolean {
  if (e.And) return e.And.every((x) => matches(x, r, store));
  if (e.Or) return e.Or.some((x) => matches(x, r, store));
  if (e.Not) return !matches(e.Not, r, store);
  if (e.Dimensions) return valueMatches(dimensionOf(e.Dimensions.Key)(r), e.Dimensions.Values ?? [], e.Dimensions.MatchOptions);
  if (e.Tags) {
    const value = store.tagValue(r, e.Tags.Key as string);
    if (e.Tags.MatchOptions?.includes('ABSENT')) return value === '';
    return valueMatches(value, e.Tags.Values ?? [], e.Tags.MatchOptions);
  }
  return false;
}

function valueMatches(value: string, values: string[], options: string[] = []): boolean {
  const fold = options.includes('CASE_INSENSITIVE') ? (s: string) => s.toLowerCase() : (s: string) => s;
  return values.some((v) => fold(v) === fold(value));
}
