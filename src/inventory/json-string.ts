/**
 * A string as a JSON string literal, exactly as JSON.stringify writes it.
 * Most strings need no escape; wrapping those in quotes is several times
 * cheaper than a JSON.stringify call, which a run makes for every string of
 * every item it hashes.
 */
export function jsonString(s: string): string {
  return NOTHING_TO_ESCAPE.test(s) ? '"' + s + '"' : JSON.stringify(s);
}

// What JSON.stringify escapes is `"`, `\`, control characters and unpaired
// surrogates; strings with any surrogate are left to it. One anchored class
// runs faster than a loop over the characters or a search for the first hit.
const NOTHING_TO_ESCAPE = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
