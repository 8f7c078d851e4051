import { z } from 'zod';
import { connectorName } from '../../../src/config/common';
import { awsAccountsRefinement, awsConnectionShape } from '../../aws-kit/config';

/** Cost metrics GetCostAndUsage can group by tag (usage quantities are not money). */
export const COST_METRICS = ['UnblendedCost', 'AmortizedCost', 'BlendedCost', 'NetUnblendedCost', 'NetAmortizedCost'] as const;

// A plain strictObject (no transform): the config loader finds a connector by its schema's `type` literal.
export const costExplorerConfigSchema = z.strictObject({
  name: connectorName,
  type: z.literal('cost-explorer'),
  // accounts: whose Cost Explorer is asked. A management (payer) account sees all its members.
  ...awsConnectionShape,
  /** Cost-allocation tag on each endpoint whose value is the endpoint's name or ARN; it must be activated in Billing. */
  tagKey: z
    .string()
    .min(1)
    .max(128)
    .refine((k) => !k.startsWith('aws:'), 'a user-defined tag key (aws: tags are AWS-generated)')
    .default('masync:endpoint'),
  metric: z.enum(COST_METRICS).default('UnblendedCost'),
  /** Full UTC days of cost read, ending with yesterday; a monthly figure is scaled to 30 days. */
  windowDays: z.number().int().min(1).max(365).default(30),
}).superRefine(awsAccountsRefinement);

export type CostExplorerConfig = z.output<typeof costExplorerConfigSchema>;
