import { randomUUID } from 'node:crypto';
import type { EmuResponse } from '../../emulator-kit';
import { AwsFault, type AwsIdentities, type AwsPrincipal } from './identities';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

// The awsQuery protocol names the same faults differently from the JSON services.
const QUERY_CODES: Record<string, string> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  ExpiredTokenException: 'ExpiredToken',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  AccessDeniedException: 'AccessDenied',
  ThrottlingException: 'Throttling',
};
const QUERY_AUTH_FAULTS = new Set(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'MissingAuthenticationToken', 'AccessDenied']);

/**
 * STS over the awsQuery protocol the SDK's STS client speaks (form body,
 * `Action=AssumeRole&Version=2011-06-15…`, XML answer). Only AssumeRole: it is
 * all masync asks STS for.
 */
export function handleSts(identities: AwsIdentities, caller: AwsPrincipal, region: string, form: Record<string, string>): EmuResponse {
  if (form.Action !== 'AssumeRole') throw new AwsFault('InvalidAction', `Could not find operation ${form.Action ?? '(none)'} for version ${form.Version ?? '(none)'}`);
  if (form.Version !== '2011-06-15') throw new AwsFault('InvalidAction', `Could not find operation AssumeRole for version ${form.Version ?? '(none)'}`);
  const roleArn = form.RoleArn;
  const sessionName = form.RoleSessionName;
  if (!roleArn) throw new AwsFault('ValidationError', "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  if (!sessionName || !SESSION_NAME.test(sessionName)) {
    throw new AwsFault('ValidationError', "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  }
  const duration = form.DurationSeconds === undefined ? 3600 : Number(form.DurationSeconds);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw new AwsFault('ValidationError', "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
  }
  identities.authorize(caller, 'sts:AssumeRole', region);
  const c = identities.assumeRole(caller, { roleArn, sessionName, externalId: form.ExternalId, durationSeconds: duration });
  const roleId = `AROA${c.accessKeyId.slice(4)}:${sessionName}`;
  const xml =
    `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult>` +
    `<AssumedRoleUser><AssumedRoleId>${esc(roleId)}</AssumedRoleId><Arn>${esc(c.principal.arn)}</Arn></AssumedRoleUser>` +
    `<Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${esc(c.secretAccessKey)}</SecretAccessKey>` +
    `<SessionToken>${esc(c.sessionToken)}</SessionToken><Expiration>${c.expiration.toISOString().replace('.000Z', 'Z')}</Expiration></Credentials>` +
    `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
  return { status: 200, raw: xml, contentType: 'text/xml' };
}

/** An awsQuery error document. */
export function queryError(fault: AwsFault): EmuResponse {
  const code = QUERY_CODES[fault.code] ?? fault.code;
  const status = QUERY_AUTH_FAULTS.has(code) ? 403 : fault.status;
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const xml = `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${esc(code)}</Code><Message>${esc(fault.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  return { status, raw: xml, contentType: 'text/xml' };
}

function esc(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}
