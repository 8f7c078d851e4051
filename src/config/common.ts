import { z } from 'zod';

/**
 * Config pieces every connector reuses. Secret-bearing fields (password,
 * token, clientSecret) are registered with the redactor when config loads.
 */

export const connectorName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'a name of letters, digits, ".", "_" or "-" (it appears in logs, state and the CLI)');

export const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });

export const basicAuthSchema = z.strictObject({ username: z.string().min(1), password: z.string().min(1) });
export const tokenAuthSchema = z.strictObject({ token: z.string().min(1) });
export const clientCredentialsSchema = z.strictObject({ clientId: z.string().min(1), clientSecret: z.string().min(1) });

export const httpOptionsSchema = z
  .strictObject({
    timeoutMs: z.number().int().positive().default(30_000),
    /** Requests in flight at once against this system. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Attempts after the first on network errors, 5xx and 429. */
    retries: z.number().int().min(0).max(10).default(5),
    /** A Retry-After longer than this fails the run instead of stalling it. */
    maxRetryAfterSec: z.number().int().positive().default(120),
  })
  .prefault({});

export type HttpOptions = z.infer<typeof httpOptionsSchema>;
export type BasicAuth = z.infer<typeof basicAuthSchema>;
export type TokenAuth = z.infer<typeof tokenAuthSchema>;
export type ClientCredentials = z.infer<typeof clientCredentialsSchema>;
