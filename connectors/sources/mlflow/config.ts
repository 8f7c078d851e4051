import { z } from 'zod';
import { basicAuthSchema, connectorName, httpOptionsSchema, httpUrl, tokenAuthSchema } from '../../../src/config/common';

const namespace = z.string().regex(/^[a-z0-9.:-]+$/, 'lower-case letters, digits, ".", ":" or "-" (it is part of every item key)');

// A plain strictObject (no transform): the config loader finds a connector by its schema's `type` literal.
export const mlflowConfigSchema = z.strictObject({
  name: connectorName,
  type: z.literal('mlflow'),
  /** The tracking URI, e.g. http://mlflow.internal:5000. */
  url: httpUrl,
  /** Part of every item key; defaults to the URL's host[:port]. Set it explicitly so keys survive a server move. */
  namespace: namespace.optional(),
  auth: z.union([tokenAuthSchema, basicAuthSchema]).optional(),
  ownerTag: z.string().min(1).default('owner'),
  costCenterTag: z.string().min(1).default('cost_center'),
  /** Registered models and experiments per page; 1000 is what every MLflow server allows. */
  pageSize: z.number().int().min(1).max(1000).default(1000),
  /** Model versions per page (MLflow allows 200,000; Databricks 10,000). Two pages are in memory at once. */
  versionsPageSize: z.number().int().min(1).max(200_000).default(10_000),
  /** Run ids per `runs/search` call (MLflow allows 50,000 results); one answer holds this many runs. */
  runsBatchSize: z.number().int().min(1).max(50_000).default(1_000),
  /** Base of links into the MLflow UI, when it differs from the tracking URI. */
  uiUrl: httpUrl.optional(),
  http: httpOptionsSchema,
});

export type MlflowConfig = z.output<typeof mlflowConfigSchema>;

/** The namespace in item keys: as configured, else the tracking URL's host[:port]. */
export function keyNamespace(config: MlflowConfig): string {
  return config.namespace ?? new URL(config.url).host.toLowerCase();
}

/** Base of UI links, without a trailing slash. */
export function uiBase(config: MlflowConfig): string {
  return (config.uiUrl ?? config.url).replace(/\/+$/, '');
}
