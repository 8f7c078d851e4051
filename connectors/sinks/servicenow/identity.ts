import { createHash } from 'node:crypto';

/**
 * Keys that fit ServiceNow's 100-character correlation_id and contain nothing
 * an encoded query treats as syntax are stored as they are; any other key is
 * stored as a hash, so every identity value is safe to put in a query.
 */
const PLAIN_KEY = /^[A-Za-z0-9._:/@%-]{1,100}$/;

export function identityOf(key: string): string {
  if (PLAIN_KEY.test(key)) return key;
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40)}`;
}

/** True for values that may be interpolated into an encoded query as they are. */
export function isQuerySafeIdentity(value: string): boolean {
  return PLAIN_KEY.test(value);
}
