/**
 * The typed error tree. Every error masync raises on purpose is one of these,
 * wrapped once at the boundary where it happened, with a `cause` and plain
 * props (never headers, tokens or request bodies).
 */

export type ErrorProps = Record<string, string | number | boolean | undefined>;

export class MasyncError extends Error {
  /** Exit code the CLI uses when this error ends a command. */
  readonly exitCode: number = 1;
  constructor(
    message: string,
    readonly props: ErrorProps = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A config or mapping file is wrong: names the file, the path and what was expected. */
export class ConfigError extends MasyncError {
  override readonly exitCode = 78; // EX_CONFIG
}

/** The user asked for something the tool refuses to do as asked (e.g. a mass retirement). */
export class UsageError extends MasyncError {
  override readonly exitCode = 64; // EX_USAGE
}

/** Another run holds the lease on the state file. */
export class LockedError extends MasyncError {
  override readonly exitCode = 75; // EX_TEMPFAIL
}

/** A remote API answered, or failed to answer, in a way the connector cannot use. */
export class ConnectorError extends MasyncError {
  /** True when trying again later may succeed (timeouts, 5xx, 429). */
  readonly retryable: boolean;
  constructor(message: string, props: ErrorProps & { connector: string }, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, props, options);
    this.retryable = options?.retryable ?? false;
  }
}

/** Credentials were rejected (401) or lack permission (403). */
export class AuthError extends ConnectorError {}

/** A response did not have the shape the connector relies on: names source, item and field. */
export class MalformedResponseError extends ConnectorError {}

/**
 * A write that is not safe to send twice failed in a way that leaves its
 * outcome unknown (a timeout, a connection lost after sending, a 5xx, an
 * unreadable answer). It may have landed: settle it by lookup, never by
 * sending it again blindly.
 */
export class OutcomeUnknownError extends ConnectorError {
  constructor(message: string, props: ErrorProps & { connector: string }, options?: { cause?: unknown }) {
    super(message, props, { ...options, retryable: true });
  }
}

/** Plain-text summary of any thrown value, for logs and JSON output. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
