import type { EmuRequest } from '../../emulator-kit';
import { parseSigV4, verifySigV4, type SigV4Header } from './sigv4';

/** A failed SigV4 check, with the error code a monitoring-style front door answers. */
export type SigV4Check =
  | { ok: true; scope: SigV4Header }
  | { ok: false; code: 'MissingAuthenticationToken' | 'IncompleteSignature' | 'InvalidClientTokenId' | 'SignatureDoesNotMatch'; message: string };

/**
 * The signature check of an emulator that holds its own key pairs rather than
 * the shared AwsIdentities (CloudWatch, Cost Explorer): scope, key, then the
 * signature itself.
 */
export function checkSigV4(req: EmuRequest, service: string, secretOf: (accessKeyId: string) => string | undefined): SigV4Check {
  const header = req.headers.authorization;
  if (!header) return { ok: false, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' };
  const scope = parseSigV4(header);
  if (!scope) return { ok: false, code: 'IncompleteSignature', message: 'Authorization header requires Credential, SignedHeaders and Signature (AWS4-HMAC-SHA256).' };
  if (scope.service !== service) return { ok: false, code: 'SignatureDoesNotMatch', message: `Credential should be scoped to correct service: '${service}'.` };
  const secret = secretOf(scope.accessKeyId);
  if (secret === undefined) return { ok: false, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' };
  if (!verifySigV4(req, scope, secret)) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    };
  }
  return { ok: true, scope };
}
