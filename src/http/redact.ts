/**
 * Scrubs secrets from any text before it reaches a log line, an error message
 * or the state file. Secrets are registered by value when config is loaded;
 * credential-shaped patterns are scrubbed even when nobody registered them.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short values would shred ordinary words; they are not real secrets.
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('[REDACTED]');
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /**
   * A log/JSON value with every string redacted: a deep copy, or the value
   * itself when it is plain data that redacting would not change (callers
   * must not change what they get). That is one pass over the value's text
   * rather than every pattern over every string: the journal redacts each
   * write of a run, a hundred thousand payloads at the first sync.
   */
  redactValue<T>(value: T): T {
    if (this.isClean(value)) return value;
    return this.walk(value, new WeakSet()) as T;
  }

  /**
   * True when `walk` would return an equal copy. Its strings are tested
   * joined by a non-word character: every pattern starts at a word boundary
   * or a fixed character and asks nothing of what follows its match, so a
   * match inside one string is still a match in the joined text (a false
   * alarm only costs the walk), and a secret inside one is inside it too.
   * Anything but plain objects, arrays and primitives (an Error, a Date)
   * takes the full walk, which turns them into plain data.
   */
  private isClean(value: unknown): boolean {
    const strings: string[] = [];
    const seen = new Set<object>();
    const visit = (v: unknown): boolean => {
      if (typeof v === 'string') return strings.push(v) > 0;
      if (!v || typeof v !== 'object') return true;
      const proto = Object.getPrototypeOf(v) as unknown;
      if (seen.has(v) || (proto !== Object.prototype && proto !== Array.prototype && proto !== null)) return false;
      seen.add(v);
      if (Array.isArray(v)) return v.every(visit);
      for (const [k, x] of Object.entries(v)) if ((SECRET_KEY.test(k) && typeof x === 'string') || !visit(x)) return false;
      return true;
    };
    if (!visit(value)) return false;
    const text = strings.join('\u0000');
    for (const s of this.secrets) if (text.includes(s)) return false;
    return !TESTS.some((t) => t.test(text));
  }

  private walk(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (!value || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, seen));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && typeof v === 'string' ? '[REDACTED]' : this.walk(v, seen);
    }
    return out;
  }
}

const SECRET_KEY =
  /^(authorization|password|passwd|secret|token|access_token|refresh_token|client_secret|api[_-]?key|clientSecret|apiKey|secretAccessKey|secret_access_key|sessionToken|session_token|x-amz-security-token)$/i;

const PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, '$1 [REDACTED]'],
  // A SigV4 Authorization value: the credential scope names the key, the signature proves it.
  [/\b(AWS4-HMAC-SHA256)\s+(?:Credential|SignedHeaders|Signature)=[^\s,"]*(?:,\s*(?:Credential|SignedHeaders|Signature)=[^\s,"]*)*/g, '$1 [REDACTED]'],
  [/([?&](?:access_token|token|password|client_secret|api_key|apikey|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&\s]+/gi, '$1[REDACTED]'],
  [/("(?:password|client_secret|access_token|refresh_token|token|secretAccessKey|sessionToken)"\s*:\s*")[^"]*"/gi, '$1[REDACTED]"'],
  // Userinfo in a URL of any scheme (`https://user:pw@host`): up to the authority's last "@", which a raw "@" in a password cannot hide.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi, '$1[REDACTED]@'],
];

/** The patterns for testing only (no `g`: a global regex's test moves its lastIndex). */
const TESTS = PATTERNS.map(([p]) => new RegExp(p.source, p.flags.replace('g', '')));
