import { MasyncError } from '../../../src/errors';

const GLIDE_DATE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/**
 * An ISO instant as the instance stores a date-time and compares it in an
 * encoded query: UTC, `YYYY-MM-DD HH:MM:SS`, cut to the second (so the
 * condition can only read more, never less). A plain value is compared with
 * the stored UTC value; `gs.dateGenerate` would read it in the integration
 * user's time zone instead.
 */
export function toGlideDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new MasyncError(`not an ISO 8601 instant: ${JSON.stringify(iso)}`);
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** A stored date-time (UTC) as an ISO instant, or undefined when it is not one. */
export function fromGlideDateTime(value: string): string | undefined {
  const m = GLIDE_DATE_TIME.exec(value);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
