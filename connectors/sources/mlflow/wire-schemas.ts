import { z } from 'zod';

/*
 * MLflow's JSON shapes as masync reads them. Only the fields an item is keyed
 * on (model name, version number, run id, experiment id) are required;
 * everything else MLflow may omit when empty, and unknown keys (MLflow 3 adds
 * some) are ignored. Page envelopes hold their records unparsed, so one bad
 * record can be skipped while the rest of its page is read.
 */

const tag = z.object({ key: z.string(), value: z.string().default('') });
const timestamp = z.number().optional();

export const modelVersion = z.object({
  name: z.string().min(1),
  version: z.string().regex(/^\d+$/, 'a version number as a string'),
  creation_timestamp: timestamp,
  last_updated_timestamp: timestamp,
  user_id: z.string().optional(),
  current_stage: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  tags: z.array(tag).default([]),
});

export const registeredModel = z.object({
  name: z.string().min(1),
  creation_timestamp: timestamp,
  last_updated_timestamp: timestamp,
  description: z.string().optional(),
  tags: z.array(tag).default([]),
  aliases: z.array(z.object({ alias: z.string(), version: z.string() })).default([]),
  latest_versions: z.array(z.object({ version: z.string(), current_stage: z.string().optional() })).default([]),
});

// protobuf's JSON printer writes non-finite doubles as strings.
const metricValue = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);

export const run = z.object({
  info: z.object({
    run_id: z.string().min(1),
    run_name: z.string().optional(),
    user_id: z.string().optional(),
    /** RUNNING, SCHEDULED, FINISHED, FAILED or KILLED; only a settled run's lineage is kept between reads. */
    status: z.string().optional(),
  }),
  data: z
    .object({
      metrics: z.array(z.object({ key: z.string(), value: metricValue, timestamp: timestamp, step: z.number().optional() })).default([]),
      params: z.array(tag).default([]),
      tags: z.array(tag).default([]),
    })
    .prefault({}),
  inputs: z
    .object({
      dataset_inputs: z
        .array(
          z.object({
            tags: z.array(tag).default([]),
            dataset: z.object({ name: z.string(), digest: z.string().optional(), source_type: z.string().optional(), source: z.string().optional() }),
          }),
        )
        .default([]),
    })
    .prefault({}),
});

export const experiment = z.object({ experiment_id: z.string().min(1) });

const pageToken = z.string().optional();
const records = z.array(z.unknown()).default([]);

export const modelsPage = z.object({ registered_models: records, next_page_token: pageToken });
export const versionsPage = z.object({ model_versions: records, next_page_token: pageToken });
export const runsPage = z.object({ runs: records, next_page_token: pageToken });
export const experimentsPage = z.object({ experiments: z.array(experiment).default([]), next_page_token: pageToken });
export const modelResponse = z.object({ registered_model: registeredModel });
export const runResponse = z.object({ run });

export type RegisteredModel = z.infer<typeof registeredModel>;
export type ModelVersion = z.infer<typeof modelVersion>;
export type Run = z.infer<typeof run>;
