import { randomUUID } from 'node:crypto';
import type { EmuResponse } from '../../../emulator-kit';

/*
 * CloudWatch's AWS JSON 1.0 wire, query-compatible: errors carry the
 * query-era code in `x-amzn-query-error: <Code>;<Sender|Receiver>` (which the
 * SDK prefers) beside a JSON `__type` naming the Smithy shape.
 */

export const CONTENT_TYPE = 'application/x-amz-json-1.0';
export const TARGET_PREFIX = 'GraniteServiceVersion20100801.';

/** Query-era code → the `__type` the JSON protocol sends for it. */
const SHAPES: Record<string, string> = {
  InvalidParameterValue: 'com.amazonaws.cloudwatch#InvalidParameterValueException',
  InvalidParameterCombination: 'com.amazonaws.cloudwatch#InvalidParameterCombinationException',
  MissingParameter: 'com.amazonaws.cloudwatch#MissingRequiredParameterException',
  InvalidNextToken: 'com.amazonaws.cloudwatch#InvalidNextToken',
  LimitExceeded: 'com.amazonaws.cloudwatch#LimitExceededFault',
  InternalServiceError: 'com.amazonaws.cloudwatch#InternalServiceFault',
  ValidationError: 'com.amazon.coral.validate#ValidationException',
  Throttling: 'com.amazon.coral.availability#ThrottlingException',
  AccessDenied: 'com.amazon.coral.service#AccessDeniedException',
  InvalidClientTokenId: 'com.amazon.coral.service#UnrecognizedClientException',
  SignatureDoesNotMatch: 'com.amazon.coral.service#InvalidSignatureException',
  IncompleteSignature: 'com.amazon.coral.service#IncompleteSignatureException',
  MissingAuthenticationToken: 'com.amazon.coral.service#MissingAuthenticationTokenException',
  UnknownOperation: 'com.amazon.coral.service#UnknownOperationException',
};

export function ok(body: unknown): EmuResponse {
  return { status: 200, body, contentType: CONTENT_TYPE, headers: { 'x-amzn-RequestId': randomUUID() } };
}

/** An error as CloudWatch sends it; the query header only to clients in query mode, as the service does. */
export function fault(status: number, code: string, message: string, queryMode: boolean): EmuResponse {
  const headers: Record<string, string> = { 'x-amzn-RequestId': randomUUID() };
  if (queryMode) headers['x-amzn-query-error'] = `${code};${status >= 500 ? 'Receiver' : 'Sender'}`;
  return { status, body: { __type: SHAPES[code] ?? code, message }, contentType: CONTENT_TYPE, headers };
}

/** The kit's own answers (no route, an unexpected throw), in CloudWatch's shape. */
export function errorBody(status: number, message: string): unknown {
  return { __type: status >= 500 ? SHAPES.InternalServiceError : SHAPES.UnknownOperation, message };
}
