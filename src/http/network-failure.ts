/**
 * What a request that got no answer tells us: whether it may have reached the
 * server (which decides if a non-idempotent request may be sent again) and
 * whether trying again could help.
 */
export interface NetworkFailure {
  code: string | undefined;
  /** False only when the request provably never left: the connection was never made. */
  maybeSent: boolean;
  retryable: boolean;
}

// No connection was made, so nothing was sent: safe to try again, even for a POST.
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
// Rejected before the request was written (TLS handshake, a malformed header or URL): trying again does not help.
const REFUSED_LOCALLY = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_INVALID/;
// The connection broke or timed out after the request may have gone out (axios reports its timeout as ECONNABORTED).
const LOST_IN_FLIGHT = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE']);

export function classifyNetworkFailure(err: unknown): NetworkFailure {
  const code = err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  if (code !== undefined && NEVER_CONNECTED.has(code)) return { code, maybeSent: false, retryable: true };
  if (code !== undefined && REFUSED_LOCALLY.test(code)) return { code, maybeSent: false, retryable: false };
  // Anything else (an unknown code, a response that could not be parsed) may have been processed.
  return { code, maybeSent: true, retryable: code !== undefined && LOST_IN_FLIGHT.has(code) };
}
