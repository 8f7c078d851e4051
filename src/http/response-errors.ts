import { AuthError, ConnectorError, MalformedResponseError, OutcomeUnknownError, type ErrorProps } from '../errors';
import type { HttpClientOptions } from './client';
import type { NetworkFailure } from './network-failure';
import type { WireResponse } from './transport';

/** What an error answer says, read once. */
export interface ErrorAnswer {
  /** The body as JSON; undefined when it is not JSON (a proxy page). */
  data: unknown;
  vendor?: string;
  vendorCode?: string;
  /** A 429, or what the vendor's classifier calls throttling. */
  throttled: boolean;
}

type Vendor = Pick<HttpClientOptions, 'name' | 'redactor' | 'errorMessage' | 'errorCode' | 'throttled'>;

/**
 * Turns answers and failures into the typed errors of src/errors.ts. Each
 * names the connector and the request, is redacted, and carries no headers
 * and no body of the request.
 */
export class ResponseErrors {
  constructor(private readonly vendor: Vendor) {}

  read(res: WireResponse): ErrorAnswer {
    const data = parseQuietly(res.body);
    const known = data !== undefined && data !== null;
    return {
      data,
      vendor: known ? this.vendor.errorMessage?.(data) : undefined,
      vendorCode: known ? this.vendor.errorCode?.(data, res.headers) : undefined,
      throttled: res.status === 429 || (this.vendor.throttled?.(res.status, data, res.headers) ?? false),
    };
  }

  statusMessage(where: string, status: number, answer: ErrorAnswer, extra?: string): string {
    const detail = [answer.vendor, extra].filter(Boolean).join('; ');
    return this.vendor.redactor.redact(`${this.vendor.name}: ${where} → HTTP ${status}${detail ? `: ${detail}` : ''}`);
  }

  /** 401/403 are AuthErrors; `retryable` defaults to "a later try may succeed" (5xx, 429). */
  status(where: string, res: WireResponse, answer: ErrorAnswer, extra?: string, retryable?: boolean): ConnectorError {
    const message = this.statusMessage(where, res.status, answer, extra);
    const props = { connector: this.vendor.name, status: res.status, vendorCode: answer.vendorCode };
    if (res.status === 401 || res.status === 403) return new AuthError(message, props);
    return new ConnectorError(message, props, { retryable: retryable ?? (answer.throttled || res.status >= 500) });
  }

  /** A request that may have landed and is not sent again: the caller settles it by lookup. */
  outcomeUnknown(where: string, message: string, props: ErrorProps, cause?: MalformedResponseError): OutcomeUnknownError {
    const text = this.vendor.redactor.redact(`${message}; outcome unknown: it may have been processed, so it is not sent again`);
    return new OutcomeUnknownError(text, { ...props, connector: this.vendor.name, request: where }, cause ? { cause } : undefined);
  }

  networkMessage(where: string, err: unknown, failure: NetworkFailure): string {
    const detail = err instanceof Error ? err.message : String(err);
    return this.vendor.redactor.redact(`${this.vendor.name}: ${where}: ${failure.code ?? 'request failed'}: ${detail}`);
  }

  /** No answer. The cause is left out: axios errors hold the request config, headers included. */
  network(where: string, err: unknown, failure: NetworkFailure): ConnectorError {
    return new ConnectorError(this.networkMessage(where, err, failure), { connector: this.vendor.name, code: failure.code }, { retryable: failure.retryable });
  }

  parseJson<T>(where: string, res: WireResponse): T {
    const text = res.body.toString('utf8');
    if (text.trim() === '') return undefined as T;
    const type = res.headers['content-type'] ?? '';
    const props = { connector: this.vendor.name, field: '(body)' };
    if (type && !/json/i.test(type)) {
      throw new MalformedResponseError(`${this.vendor.name}: ${where}: expected JSON but got ${type.split(';')[0]} (a proxy, login page or wrong URL?)`, props);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new MalformedResponseError(`${this.vendor.name}: ${where}: response body is not valid JSON`, props);
    }
  }
}

/** The error body as JSON, else as text (an XML error of a query-protocol API, a proxy page) for the vendor hooks to read or ignore. */
function parseQuietly(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text === '' ? undefined : text;
  }
}
