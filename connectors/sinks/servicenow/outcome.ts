import { AuthError, ConnectorError, describeError, MalformedResponseError, OutcomeUnknownError } from '../../../src/errors';

// Failures that happen before a byte is sent: the request cannot have taken effect.
const NEVER_SENT = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Whether a failed insert may nonetheless have happened. Yes after a
 * timeout, a connection lost after sending, a 5xx, an unreadable answer or
 * an abort in flight; no after an answer that says it was refused (4xx,
 * 429) or a connection that was never made. When in doubt, yes: a lookup
 * costs one GET, a second insert a duplicate CI.
 */
export function mayHaveLanded(err: unknown, signal?: AbortSignal): boolean {
  if (err instanceof OutcomeUnknownError || err instanceof MalformedResponseError) return true;
  if (err instanceof AuthError) return false;
  if (signal?.aborted) return true;
  if (!(err instanceof ConnectorError)) return true;
  const { status, code } = err.props;
  if (typeof status === 'number') return status >= 500;
  return !(typeof code === 'string' && NEVER_SENT.has(code));
}

/** The error for an insert whose outcome is unknown, naming what was inserted. */
export function outcomeUnknown(connector: string, what: string, err: unknown): OutcomeUnknownError {
  if (err instanceof OutcomeUnknownError) return err;
  return new OutcomeUnknownError(`${connector}: ${what} may or may not have happened (${describeError(err)}); it is looked up by identity, never sent again blindly`, { connector }, { cause: err });
}
