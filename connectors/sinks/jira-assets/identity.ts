import { createHash } from 'node:crypto';

// Assets Text attributes hold 255 characters; a longer key is stored as its hash so it fits and stays unique.
const MAX_TEXT = 255;

/**
 * The `External key` value for an item key: the key itself when it fits, its
 * hash otherwise. Unlike ServiceNow's encoded queries, AQL can quote any
 * value, so a key with quotes or spaces is kept readable and escaped when
 * queried.
 */
export function identityOf(key: string): string {
  if (Array.from(key).length <= MAX_TEXT) return key;
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40)}`;
}
