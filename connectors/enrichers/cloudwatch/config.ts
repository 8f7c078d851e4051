import { z } from 'zod';
import { connectorName } from '../../../src/config/common';
import { awsAccessFields } from '../aws-client';

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as eu-west-1');

/** CloudWatch keeps daily (86,400 s) datapoints for 455 days; a longer window reads nothing more. */
const MAX_WINDOW_DAYS = 455;

// A plain strictObject (no transform): the config loader finds a connector by its schema's `type` literal.
export const cloudwatchConfigSchema = z.strictObject({
  name: connectorName,
  type: z.literal('cloudwatch'),
  ...awsAccessFields,
  /**
   * Full UTC days of traffic read, ending with yesterday. Keep it at least the zombie
   * policy's `idleDays`: an endpoint is only idle over days this window covers.
   */
  windowDays: z.number().int().min(1).max(MAX_WINDOW_DAYS).default(14),
  /** Regions to read; deployments elsewhere get no usage (with a warning). Absent: every region an item names. */
  regions: z.array(region).min(1).optional(),
  /** GetMetricData calls in flight at once, over all accounts and regions. */
  concurrency: z.number().int().min(1).max(16).default(4),
});

export type CloudWatchConfig = z.output<typeof cloudwatchConfigSchema>;
