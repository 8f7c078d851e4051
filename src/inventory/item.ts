import { z } from 'zod';

/**
 * Canonical inventory: what every source produces and every mapping consumes.
 * Items are validated at the source boundary, so code past it can trust them.
 */

const isoDate = z.iso.datetime({ offset: true });
const stringMap = z.record(z.string(), z.string());

const base = {
  /** Stable, globally unique identity built from the platform's own ids. */
  key: z.string().min(1),
  /** Name of the configured source instance that produced the item. */
  source: z.string().min(1),
  name: z.string().min(1),
  /** When the source read it; excluded from content hashes so re-reads are no-ops. */
  observedAt: isoDate,
  tags: stringMap,
  /** Named URLs (e.g. `ui`) pointing back into the source platform. */
  links: stringMap,
  description: z.string().optional(),
  owner: z.string().optional(),
  costCenter: z.string().optional(),
  createdAt: isoDate.optional(),
  updatedAt: isoDate.optional(),
};

export const datasetSchema = z.object({
  name: z.string(),
  digest: z.string().optional(),
  sourceType: z.string().optional(),
  /** Where the data lives (a URI), when the platform says. */
  uri: z.string().optional(),
  /** The role of the dataset for the run: train, eval, test… */
  context: z.string().optional(),
});
export type Dataset = z.infer<typeof datasetSchema>;

export const modelSchema = z.object({
  ...base,
  kind: z.literal('model'),
  /** alias → version */
  aliases: stringMap,
  /** stage → latest version in that stage */
  latestVersions: stringMap,
});

export const modelVersionSchema = z.object({
  ...base,
  kind: z.literal('model_version'),
  /** Key of the model this version belongs to. */
  versionOf: z.string().min(1),
  version: z.string().min(1),
  stage: z.string().optional(),
  aliases: z.array(z.string()),
  status: z.string(),
  artifactUri: z.string().optional(),
  runId: z.string().optional(),
  runName: z.string().optional(),
  metrics: z.record(z.string(), z.number()),
  params: stringMap,
  datasets: z.array(datasetSchema),
  approval: z.string().optional(),
});

export const deploymentSchema = z.object({
  ...base,
  kind: z.literal('deployment'),
  endpoint: z.string(),
  variant: z.string().optional(),
  instanceType: z.string().optional(),
  instanceCount: z.number().int().nonnegative().optional(),
  region: z.string().optional(),
  arn: z.string().optional(),
  status: z.string(),
  /** Key of the model version this deployment serves, when known. */
  servesVersionKey: z.string().optional(),
});

export const inventoryItemSchema = z.discriminatedUnion('kind', [modelSchema, modelVersionSchema, deploymentSchema]);

export type ModelItem = z.infer<typeof modelSchema>;
export type ModelVersionItem = z.infer<typeof modelVersionSchema>;
export type DeploymentItem = z.infer<typeof deploymentSchema>;
export type InventoryItem = z.infer<typeof inventoryItemSchema>;
export type ItemKind = InventoryItem['kind'];

/** Kinds in dependency order: a version refers to its model, a deployment to its version. */
export const ITEM_KINDS: readonly ItemKind[] = ['model', 'model_version', 'deployment'];
