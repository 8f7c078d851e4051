import type { EmuResponse } from '../../../emulator-kit';

/** The Table API's error envelope. */
export function errorBody(message: string, detail: string | null): unknown {
  return { error: { message, detail }, status: 'failure' };
}

const DETAIL: Record<number, string> = {
  401: 'Required to provide Auth information',
  403: 'Insufficient rights to query records',
  404: "Record doesn't exist or ACL restricts the record retrieval",
  429: 'Rate limit of 100 requests per hour for Table API exceeded',
};

/** Body the emulator kit uses for errors it raises itself (429, unknown route, handler crash). */
export function kitErrorBody(status: number, message: string): unknown {
  return errorBody(message, DETAIL[status] ?? null);
}

export const notAuthenticated = (): EmuResponse => ({
  status: 401,
  headers: { 'WWW-Authenticate': 'BASIC realm="Service-now"' },
  body: errorBody('User Not Authenticated', DETAIL[401] as string),
});

export const noRecord = (): EmuResponse => ({ status: 404, body: errorBody('No Record found', DETAIL[404] as string) });

export const notAuthorized = (): EmuResponse => ({ status: 403, body: errorBody('User Not Authorized', DETAIL[403] as string) });

export const invalidTable = (table: string): EmuResponse => ({ status: 400, body: errorBody(`Invalid table ${table}`, null) });
