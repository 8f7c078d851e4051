import type { EmuResponse } from '../../../emulator-kit';

/** An Assets or Jira error as both send it: `{errorMessages, errors}`. */
export class AssetsFault extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
  ) {
    super([...errorMessages, ...Object.values(errors)].join('; '));
  }

  response(): EmuResponse {
    return { status: this.status, body: { errorMessages: this.errorMessages, errors: this.errors } };
  }
}

export const badRequest = (message: string, field?: string): AssetsFault => (field ? new AssetsFault(400, [], { [field]: message }) : new AssetsFault(400, [message]));

export const notFound = (what: string): AssetsFault => new AssetsFault(404, [`${what} could not be found`]);

export const forbidden = (what: string): AssetsFault => new AssetsFault(403, [`You do not have permission to ${what}`]);

/** Body the emulator kit uses for what it raises itself (429, unknown route, a handler crash). */
export function kitErrorBody(_status: number, message: string): unknown {
  return { errorMessages: [message], errors: {} };
}
