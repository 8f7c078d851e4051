/**
 * A string as a JSON string literal, exactly as JSON.stringify writes it.
 * Most strings need no escape; wrapping those in quotes is several times
 * cheaper than a JSON.stringify call, which a run makes for every string of
 * every item it hashes.
 */
export function jsonString(s: string): string {
  return needsEscape(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** What JSON.stringify escapes: `"`, `\`, control characters and (unpaired) surrogates, which are left to it. */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}
