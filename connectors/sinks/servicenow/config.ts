import { z } from 'zod';
import { basicAuthSchema, clientCredentialsSchema, connectorName, httpOptionsSchema, httpUrl } from '../../../src/config/common';

const oauthPasswordSchema = z.strictObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
});

export const serviceNowConfigSchema = z.strictObject({
  name: connectorName,
  type: z.literal('servicenow'),
  /** Base URL of the instance, e.g. https://acme.service-now.com */
  instance: httpUrl,
  // Strict objects make the three shapes exclusive: extra keys never select the wrong grant.
  auth: z.union([basicAuthSchema, clientCredentialsSchema, oauthPasswordSchema]),
  /** Marks every CI masync writes; it goes into encoded queries, hence the narrow alphabet. */
  discoverySource: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,40}$/, '1 to 40 letters, digits, ".", "_" or "-" (it is used in CMDB queries)')
    .default('masync'),
  mapping: z.string().min(1).optional(),
  /**
   * Rows per Table API page. 2000 measured best at 100,000 CIs: 40% less wall time than 1000 for
   * the same memory; bigger pages save little more, triple the memory and make each page a long
   * transaction on the instance.
   */
  pageSize: z.number().int().min(1).max(10_000).default(2000),
  /** `batch`: writes go in Batch API calls (falling back to the Table API if the instance refuses them); `table`: one Table API request per write. */
  writeApi: z.enum(['batch', 'table']).default('batch'),
  /**
   * Writes per Batch API call. 50 measured best: the instance runs a batch's writes one after
   * another, so bigger batches leave fewer calls to run side by side, take longer per call (the
   * instance ends a batch at 30 s), and leave more inserts unknown when one call is lost.
   */
  batchSize: z.number().int().min(1).max(500).default(50),
  /**
   * `check`: read the instance's dictionary and write only columns it has. `trust-mapping`:
   * write every mapped column unchecked, for integration users that may not read sys_dictionary.
   */
  columns: z.enum(['check', 'trust-mapping']).default('check'),
  http: httpOptionsSchema,
});

export type ServiceNowConfig = z.infer<typeof serviceNowConfigSchema>;
export type ServiceNowAuth = ServiceNowConfig['auth'];
