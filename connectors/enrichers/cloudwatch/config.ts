import { z } from 'zod';
import { connectorName } from '../../../src/config/common';
import { awsAccountsRefinement, awsConnectionShape } from '../../aws-kit/config';

/** CloudWatch keeps daily (86,400 s) datapoints for 455 days; a longer window reads nothing more. */
const MAX_WINDOW_DAYS = 455;

// A plain strictObject (no transform): the config loader finds a connector by its schema's `type` literal.
export const cloudwatchConfigSchema = z.strictObject({
  name: connectorName,
  type: z.literal('cloudwatch'),
  ...awsConnectionShape,
  /**
   * Full UTC days of traffic read, ending with yesterday. Keep it at least the zombie
   * policy's `idleDays`: an endpoint is only idle over days this window covers.
   */
  windowDays: z.number().int().min(1).max(MAX_WINDOW_DAYS).default(14),
  /** GetMetricData calls in flight at once, over all accounts and regions. */
  concurrency: z.number().int().min(1).max(16).default(4),
}).superRefine(awsAccountsRefinement);

export type CloudWatchConfig = z.output<typeof cloudwatchConfigSchema>;
