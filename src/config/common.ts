import { z } from 'zod';

/**
 * Config pieces every connector reuses. Secret-bearing fields (password,
 * token, clientSecret) are registered with the redactor when config loads.
 */

export const connectorName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'a name of letters, digits, ".", "_" or "-" (it appears in logs, state and the CLI)');

// Credentials belong under `auth`, where the redactor knows them; a URL travels into logs, links and records.
export const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).refine((u) => {
  // zod runs this even when the URL check failed; that failure is reported already.
  if (!URL.canParse(u)) return true;
  const parsed = new URL(u);
  return parsed.username === '' && parsed.password === '';
}, 'a URL without credentials (they belong in the connector credential keys, which are redacted)');

export const basicAuthSchema = z.strictObject({ username: z.string().min(1), password: z.string().min(1) });
export const tokenAuthSchema = z.strictObject({ token: z.string().min(1) });
export const clientCredentialsSchema = z.strictObject({ clientId: z.string().min(1), clientSecret: z.string().min(1) });

export const httpOptionsSchema = z
  .strictObject({
    timeoutMs: z.number().int().positive().default(30_000),
    /** Requests in flight at once against this system. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Retries after the first attempt on network errors and 500/502/503/504, for requests that are safe to repeat. */
    retries: z.number().int().min(0).max(10).default(5),
    /** A Retry-After longer than this fails the request at once instead of stalling the run. */
    maxRetryAfterSec: z.number().int().positive().max(3600).default(120),
    /**
     * How long one request may keep being rate limited (429, AWS throttling) before it fails; a budget
     * apart from `retries`. At most 10 minutes: a signed AWS request is only accepted for 15.
     */
    rateLimitWaitSec: z.number().int().positive().max(600).default(300),
  })
  .prefault({});

export type HttpOptions = z.infer<typeof httpOptionsSchema>;
export type BasicAuth = z.infer<typeof basicAuthSchema>;
export type TokenAuth = z.infer<typeof tokenAuthSchema>;
export type ClientCredentials = z.infer<typeof clientCredentialsSchema>;
