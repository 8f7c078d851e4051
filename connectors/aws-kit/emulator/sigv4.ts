import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What an `Authorization: AWS4-HMAC-SHA256 …` header says. */
export interface SigV4Header {
  accessKeyId: string;
  /** YYYYMMDD of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const HEADER = /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** The credential scope and signature of a SigV4 Authorization header, or undefined when it is not one. */
export function parseSigV4(header: string | undefined): SigV4Header | undefined {
  const m = header ? HEADER.exec(header.trim()) : null;
  if (!m) return undefined;
  const [, accessKeyId, date, region, service, signed, signature] = m as unknown as string[];
  return { accessKeyId: accessKeyId as string, date: date as string, region: region as string, service: service as string, signedHeaders: (signed as string).split(';'), signature: signature as string };
}

export interface SignedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/**
 * Whether the request carries the signature its secret key gives (SigV4 as
 * the SDKs compute it for non-S3 services: the body's own SHA-256, the signed
 * headers as received). A wrong secret key fails here, as it does at AWS.
 */
export function verifySigV4(req: SignedRequest, auth: SigV4Header, secretAccessKey: string): boolean {
  const amzDate = headerValue(req.headers, 'x-amz-date');
  if (!amzDate || !amzDate.startsWith(auth.date)) return false;
  const canonical = [
    req.method,
    canonicalPath(req.path),
    canonicalQuery(req.query),
    auth.signedHeaders.map((h) => `${h}:${(headerValue(req.headers, h) ?? '').trim().replace(/\s+/g, ' ')}\n`).join(''),
    auth.signedHeaders.join(';'),
    sha256(req.rawBody),
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, auth.date);
  for (const part of [auth.region, auth.service, 'aws4_request']) key = hmac(key, part);
  const expected = Buffer.from(createHmac('sha256', key).update(toSign).digest('hex'));
  const given = Buffer.from(auth.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function canonicalPath(path: string): string {
  return path.split('/').map(encode).join('/') || '/';
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query.entries()]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

// RFC 3986 unreserved characters stay; everything else is percent-encoded, as SigV4 requires.
function encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
