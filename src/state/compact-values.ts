/**
 * How two kinds of values that fill most columns are stored compactly, and
 * read back exactly as they were given.
 *
 * Instants: an ISO 8601 UTC time as masync writes them
 * (`2026-01-01T00:00:00.000Z`, 24 bytes) is stored as milliseconds since the
 * epoch (6 bytes); any other text is stored as it is.
 *
 * Record ids: a 32-hex sys_id (32 bytes) as its 16 bytes; a Jira id or
 * anything else as text.
 */
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// A batch of rows shares one instant: convert it once.
let lastIso = '';
let lastMs: number | string = '';

export function instantToDb(iso: string): number | string {
  if (iso === lastIso) return lastMs;
  let out: number | string = iso;
  if (ISO.test(iso)) {
    const ms = Date.parse(iso);
    if (!Number.isNaN(ms) && new Date(ms).toISOString() === iso) out = ms;
  }
  lastIso = iso;
  lastMs = out;
  return out;
}

/**
 * An instant of an item's life (first seen, changed, a history row) as
 * milliseconds, whatever ISO form it came in: these are compared and ordered
 * with one another, which numbers and text mixed would not do.
 */
export function instantToMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`state: ${JSON.stringify(iso)} is not an ISO 8601 instant`);
  return ms;
}

export function instantFromDb(stored: unknown): string {
  return typeof stored === 'number' ? new Date(stored).toISOString() : String(stored);
}

export function optionalInstantFromDb(stored: unknown): string | undefined {
  return stored === null || stored === undefined ? undefined : instantFromDb(stored);
}

const SYS_ID = /^[0-9a-f]{32}$/;

export function recordIdToDb(id: string): Buffer | string {
  return SYS_ID.test(id) ? Buffer.from(id, 'hex') : id;
}

export function recordIdFromDb(stored: unknown): string {
  return Buffer.isBuffer(stored) ? stored.toString('hex') : String(stored);
}

/** SQL that reads a stored instant column back as ISO text (for the views that show state to people). */
export function instantSql(column: string): string {
  return `CASE WHEN typeof(${column}) = 'integer' THEN strftime('%Y-%m-%dT%H:%M:%fZ', ${column} / 1000.0, 'unixepoch') ELSE ${column} END`;
}

export function recordIdSql(column: string): string {
  return `CASE WHEN typeof(${column}) = 'blob' THEN lower(hex(${column})) ELSE ${column} END`;
}

/**
 * SQL that reads a short BLOB (a hash) as hex text, NULL as NULL.
 * better-sqlite3 hands each BLOB over as a Buffer of its own, which costs ten
 * times its bytes to make and to collect: a load of a hundred thousand rows
 * reads hashes as text and decodes them with `latin1FromHex`.
 */
export function hexSql(column: string): string {
  return `CASE WHEN ${column} IS NULL THEN NULL ELSE hex(${column}) END`;
}

const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 16; i++) NIBBLE['0123456789ABCDEF'.charCodeAt(i)] = NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;

/** The bytes `hexSql` read, as a latin1 string (how hashes are held and compared in memory). */
export function latin1FromHex(hex: string): string {
  // Hashes are a few bytes; anything longer is no hash masync wrote, and is decoded without spreading it into arguments.
  if (hex.length > 64) return Buffer.from(hex, 'hex').toString('latin1');
  // Made in one piece: a string built by += is a chain of pieces once it is 13 characters long.
  const codes = new Array<number>(hex.length >> 1);
  for (let i = 0; i < codes.length; i++) codes[i] = ((NIBBLE[hex.charCodeAt(2 * i)] as number) << 4) | (NIBBLE[hex.charCodeAt(2 * i + 1)] as number);
  return String.fromCharCode(...codes);
}
