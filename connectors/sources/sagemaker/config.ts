import { z } from 'zod';
import { connectorName } from '../../../src/config/common';
import { awsConnectionShape, awsScopesRefinement } from '../../aws-kit/config';

// A plain strictObject with a refinement (no transform): the config loader finds a connector by its schema's `type` literal.
export const sageMakerConfigSchema = z
  .strictObject({
    name: connectorName,
    type: z.literal('sagemaker'),
    ...awsConnectionShape,
    /** MaxResults of every List call (SageMaker allows at most 100). */
    pageSize: z.number().int().min(1).max(100).default(100),
    ownerTag: z.string().min(1).default('owner'),
    costCenterTag: z.string().min(1).default('cost_center'),
  })
  .superRefine(awsScopesRefinement);

export type SageMakerConfig = z.output<typeof sageMakerConfigSchema>;
