import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EmuRequest } from '../../../emulator-kit';

/*
 * Signature Version 4 as an AWS front door checks it: the credential scope
 * names the key, day, region and service; the signature is recomputed from
 * the canonical request with the key's secret. Shared by the AWS emulators
 * of this branch until connectors/aws-kit provides it.
 */

export interface SigV4Scope {
  accessKeyId: string;
  day: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export type SigV4Check = { ok: true; scope: SigV4Scope } | { ok: false; code: 'MissingAuthenticationToken' | 'IncompleteSignature' | 'InvalidClientTokenId' | 'SignatureDoesNotMatch'; message: string };

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

export function parseAuthorization(header: string | undefined): SigV4Scope | undefined {
  const m = header ? AUTH.exec(header) : null;
  if (!m) return undefined;
  const [, accessKeyId, day, region, service, signed, signature] = m as unknown as string[];
  return { accessKeyId: accessKeyId as string, day: day as string, region: region as string, service: service as string, signedHeaders: (signed as string).split(';'), signature: signature as string };
}

/** Checks the request's signature for `service` against the secrets the emulator knows. */
export function verifySigV4(req: EmuRequest, service: string, secretOf: (accessKeyId: string) => string | undefined): SigV4Check {
  const header = req.headers.authorization;
  if (!header) return { ok: false, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' };
  const scope = parseAuthorization(header);
  if (!scope) return { ok: false, code: 'IncompleteSignature', message: 'Authorization header requires Credential, SignedHeaders and Signature (AWS4-HMAC-SHA256).' };
  if (scope.service !== service) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: `Credential should be scoped to correct service: '${service}'.` };
  }
  const secret = secretOf(scope.accessKeyId);
  if (secret === undefined) return { ok: false, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' };
  const amzDate = headerValue(req, 'x-amz-date');
  if (!amzDate || !amzDate.startsWith(scope.day)) return { ok: false, code: 'IncompleteSignature', message: 'X-Amz-Date must be present and match the credential scope date.' };

  const canonicalHeaders = scope.signedHeaders.map((h) => `${h}:${(headerValue(req, h) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = createHash('sha256').update(req.rawBody, 'utf8').digest('hex');
  const canonicalRequest = [req.method, req.path || '/', canonicalQuery(req.query), canonicalHeaders, scope.signedHeaders.join(';'), payloadHash].join('\n');
  const credentialScope = `${scope.day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  let key: Buffer = hmac(`AWS4${secret}`, scope.day);
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(key, part);
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  const given = Buffer.from(scope.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    };
  }
  return { ok: true, scope };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function headerValue(req: EmuRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query.entries()]
    .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}
