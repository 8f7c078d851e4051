/** Errors a run keeps in its record and output; each failed write is in the journal whatever the count. */
export const MAX_RUN_ERRORS = 100;

/**
 * The first `max` errors and a line counting the rest: a run with 250,000
 * failed writes must not store, print and redact 250,000 strings, and the
 * journal holds each one (`masync history KEY`).
 */
export function capErrors(errors: readonly string[], max = MAX_RUN_ERRORS): string[] {
  if (errors.length <= max) return [...errors];
  return [...errors.slice(0, max), `… and ${errors.length - max} more errors (each failed write is in the journal: masync history KEY)`];
}
