import { HttpResponse, type HttpHandler, type HttpRequest } from '@smithy/protocol-http';
import type { HttpHandlerOptions } from '@smithy/types';
import { ConnectorError } from '../errors';
import type { HttpClient, Method } from './client';

const METHODS: ReadonlySet<string> = new Set<Method>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
// masync only reads from AWS; these operations change nothing, so sending one twice is harmless.
const READ_OPERATION = /^(List|Describe|Get|Search)[A-Z]/;

/**
 * The AWS SDK's request handler, so SDK clients are not a second HTTP stack:
 * the SDK serializes and signs, then the signed request goes through masync's
 * HttpClient for that endpoint (keep-alive, concurrency, timeouts, retries,
 * throttling backoff, redacted debug log) in raw mode, byte for byte, and the
 * answer comes back to the SDK to parse. An error answer is thrown as
 * masync's typed error (its `vendorCode` is the AWS code), not the SDK's.
 */
export class SdkHttpHandler implements HttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly clients = new Map<string, HttpClient>();

  /** `clientFor(origin)` builds the HttpClient of one endpoint, e.g. `https://api.sagemaker.eu-west-1.amazonaws.com`. */
  constructor(
    private readonly connector: string,
    private readonly clientFor: (origin: string) => HttpClient,
  ) {}

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const method = request.method.toUpperCase();
    if (!METHODS.has(method)) throw this.unsupported(`an HTTP ${method} request`);
    const body: unknown = request.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) throw this.unsupported('a streaming request body');
    const target = headerValue(request.headers, 'x-amz-target');
    const operation = target?.slice(target.lastIndexOf('.') + 1);
    const res = await this.client(request).raw({
      method: method as Method,
      path: request.path + queryString(request.query),
      headers: request.headers,
      body: body ?? undefined,
      // Absent means "by method": a POST that is not a read is never sent twice.
      idempotent: operation !== undefined && READ_OPERATION.test(operation) ? true : undefined,
      label: target ?? `${method} ${request.path}`,
      signal: options.abortSignal instanceof AbortSignal ? options.abortSignal : undefined,
    });
    return { response: new HttpResponse({ statusCode: res.status, headers: res.headers, body: res.data }) };
  }

  // masync's HTTP settings come from its own config, not from the SDK.
  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  private client(request: HttpRequest): HttpClient {
    const protocol = request.protocol.endsWith(':') ? request.protocol : `${request.protocol}:`;
    const host = request.hostname.includes(':') ? `[${request.hostname}]` : request.hostname;
    const origin = `${protocol}//${host}${request.port ? `:${request.port}` : ''}`;
    let client = this.clients.get(origin);
    if (!client) {
      client = this.clientFor(origin);
      this.clients.set(origin, client);
    }
    return client;
  }

  private unsupported(what: string): ConnectorError {
    return new ConnectorError(`${this.connector}: the AWS SDK asked for ${what}, which masync's HTTP layer does not send`, { connector: this.connector });
  }
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** The query as the SDK's own handler writes it (RFC 3986 escaping), so what was signed is what is sent. */
function queryString(query: HttpRequest['query']): string {
  const parts: string[] = [];
  for (const key of Object.keys(query ?? {}).sort()) {
    const value = query[key];
    if (Array.isArray(value)) for (const v of value) parts.push(`${escape(key)}=${escape(v)}`);
    else parts.push(value === null || value === undefined ? escape(key) : `${escape(key)}=${escape(value)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function escape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
