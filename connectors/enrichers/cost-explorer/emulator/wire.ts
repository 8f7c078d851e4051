import { randomUUID } from 'node:crypto';
import type { EmuResponse } from '../../../emulator-kit';

/* Cost Explorer's AWS JSON 1.1 wire: `X-Amz-Target: AWSInsightsIndexService.<Op>`, errors as `{__type, Message}`. */

export const CONTENT_TYPE = 'application/x-amz-json-1.1';
export const TARGET_PREFIX = 'AWSInsightsIndexService.';

export function ok(body: unknown): EmuResponse {
  return { status: 200, body, contentType: CONTENT_TYPE, headers: { 'x-amzn-RequestId': randomUUID() } };
}

export function fault(status: number, code: string, message: string): EmuResponse {
  return { status, body: { __type: code, Message: message }, contentType: CONTENT_TYPE, headers: { 'x-amzn-RequestId': randomUUID() } };
}

/** The kit's own answers (no route, an unexpected throw), in Cost Explorer's shape. */
export function errorBody(status: number, message: string): unknown {
  return { __type: status >= 500 ? 'InternalFailure' : 'UnknownOperationException', Message: message };
}
