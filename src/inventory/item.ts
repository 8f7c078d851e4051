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

export const usageSchema = z.object({
  /** Days the window covers, ending with the last full day. */
  windowDays: z.number().int().positive(),
  /** Requests served over the window (missing datapoints count as zero). */
  invocations: z.number().nonnegative(),
  /** One value per day of the window, oldest first. */
  daily: z.array(z.number().nonnegative()),
  /** Last day (YYYY-MM-DD) with any traffic, if any within the window. */
  lastInvocationDay: z.string().optional(),
  /** The last day the window covers (YYYY-MM-DD). */
  windowEnd: z.string(),
});
export type Usage = z.infer<typeof usageSchema>;

export const costSchema = z.object({
  /** Cost of a 30-day month at the current rate (or measured over the last 30 days). */
  monthly: z.number().nonnegative(),
  currency: z.string(),
  /** True when priced from the price table, false when measured by the billing API. */
  estimated: z.boolean(),
  /** Where the figure came from: "cost-explorer tag masync:endpoint", "price table ml.g5.xlarge × 2". */
  basis: z.string(),
});
export type Cost = z.infer<typeof costSchema>;

export const findingSchema = z.object({
  type: z.string(),
  severity: z.enum(['info', 'low', 'medium', 'high', 'critical']),
  /** One sentence a person can act on. */
  detail: z.string(),
  /** Money the finding wastes per month, in `cost.currency`. */
  monthlyWaste: z.number().nonnegative().optional(),
  /** When masync first saw it (ISO); kept across runs by the findings table. */
  firstSeen: z.string().optional(),
});
export type Finding = z.infer<typeof findingSchema>;

/** Facts enrichment joins onto any item: typed, so mappings can name them and zod still guards them. */
const enriched = {
  usage: usageSchema.optional(),
  cost: costSchema.optional(),
  findings: z.array(findingSchema).optional(),
};

export const modelSchema = z.object({
  ...base,
  ...enriched,
  kind: z.literal('model'),
  /** alias → version */
  aliases: stringMap,
  /** stage → latest version in that stage */
  latestVersions: stringMap,
});

export const modelVersionSchema = z.object({
  ...base,
  ...enriched,
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

/** What a deployment's container says about the model it serves: the raw facts linking starts from. */
export const servedModelSchema = z.object({
  /** The platform's model object (a SageMaker model name). */
  modelName: z.string().optional(),
  /** A registry version the container names (a SageMaker model package ARN). */
  modelPackage: z.string().optional(),
  /** Where the container loads the model's files from (s3://…/model.tar.gz). */
  modelDataUrl: z.string().optional(),
  image: z.string().optional(),
  /** Tags and environment entries that may name a registry version (MLFLOW_RUN_ID, mlflow.model…). */
  hints: stringMap.optional(),
});
export type ServedModel = z.infer<typeof servedModelSchema>;

/** One production variant (or the endpoint's only one): what runs, on what, at what size. */
export const variantSchema = z.object({
  name: z.string(),
  instanceType: z.string().optional(),
  currentInstanceCount: z.number().int().nonnegative().optional(),
  desiredInstanceCount: z.number().int().nonnegative().optional(),
  /** Serverless capacity: no instances to pay for while idle. */
  serverless: z.object({ memorySizeMb: z.number(), maxConcurrency: z.number(), provisionedConcurrency: z.number().optional() }).optional(),
  /** Scale-to-zero: managed scaling whose minimum is 0. */
  minInstanceCount: z.number().int().nonnegative().optional(),
  weight: z.number().optional(),
  served: z.array(servedModelSchema),
  /** Key of the registry version this variant serves; set by linking. */
  servesVersionKey: z.string().optional(),
});
export type Variant = z.infer<typeof variantSchema>;

export const deploymentSchema = z.object({
  ...base,
  ...enriched,
  kind: z.literal('deployment'),
  /** Endpoint name. */
  endpoint: z.string(),
  /** Set for an inference component: one model hosted on a shared endpoint. */
  component: z.string().optional(),
  /** Copies of an inference component's model. */
  copyCount: z.number().int().nonnegative().optional(),
  /** The main variant's name, instance type and current count (sum over variants for the count). */
  variant: z.string().optional(),
  instanceType: z.string().optional(),
  instanceCount: z.number().int().nonnegative().optional(),
  variants: z.array(variantSchema).optional(),
  region: z.string().optional(),
  account: z.string().optional(),
  arn: z.string().optional(),
  status: z.string(),
  /** Key of the model version the main variant serves, when known; set by linking. */
  servesVersionKey: z.string().optional(),
  /** Keys of every version any variant serves (relations are drawn to each). */
  serves: z.array(z.string()).optional(),
});

export const inventoryItemSchema = z.discriminatedUnion('kind', [modelSchema, modelVersionSchema, deploymentSchema]);

export type ModelItem = z.infer<typeof modelSchema>;
export type ModelVersionItem = z.infer<typeof modelVersionSchema>;
export type DeploymentItem = z.infer<typeof deploymentSchema>;
export type InventoryItem = z.infer<typeof inventoryItemSchema>;
export type ItemKind = InventoryItem['kind'];

/** Kinds in dependency order: a version refers to its model, a deployment to its version. */
export const ITEM_KINDS: readonly ItemKind[] = ['model', 'model_version', 'deployment'];
