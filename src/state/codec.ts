import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * JSON values stored compactly: raw deflate with a preset dictionary of the
 * words that recur in items, records and journal entries. Rows are small
 * (a few hundred bytes), too small for plain deflate to find much to share,
 * so the dictionary roughly halves them again. The first byte names the
 * dictionary, so a later one can be added without rewriting old rows.
 */
const DICTIONARY_V1 = Buffer.from(
  [
    '{"aliases":[],"approval":"","artifactUri":"s3://mlflow-artifacts:/","costCenter":"","createdAt":"2026-01-01T00:00:00.000Z",',
    '"datasets":[{"context":"train","digest":"","name":"","sourceType":"s3","uri":"s3://"}],"description":"","links":{"ui":"https://"},',
    '"metrics":{"accuracy":0.9,"auc":0.9,"f1":0.8,"loss":0.1},"owner":"","params":{"learning_rate":"0.01","max_depth":"6"},',
    '"runId":"","runName":"","stage":"Production","Staging","Archived","status":"READY","tags":{},"updatedAt":"2026-",',
    '"version":"","versionOf":"mlflow://","wandb://","sagemaker://","latestVersions":{},"endpoint":"","instanceType":"ml.m5.large",',
    '"instanceCount":1,"variants":[{"name":"AllTraffic","served":[{"modelName":"","modelDataUrl":"s3://"}]}],"region":"us-east-1",',
    '"usage":{"daily":[0,0,0],"invocations":0,"windowDays":14,"windowEnd":""},"cost":{"basis":"","currency":"USD","estimated":true,"monthly":0},',
    '"findings":[{"detail":"","severity":"high","type":"zombie"}],',
    '{"correlation_id":"","discovery_source":"masync","install_status":"1","operational_status":"1","name":"","short_description":"",',
    '"owned_by":"","cost_center":"","object_id":"arn:aws:sagemaker:","u_ml_aliases":"champion","u_ml_artifact_uri":"","u_ml_datasets":"[{\\"context\\":\\"train\\",',
    '"u_ml_metrics":"auc=0.9, f1=0.8","u_ml_params":"","u_ml_run_id":"","u_ml_source_url":"https://","u_ml_stage":"Production","u_ml_status":"READY",',
    '"External key":"","Managed by":"masync","Lifecycle status":"Active","Retired",{"from":null,"to":""},{"from":"","to":""}',
  ].join(''),
);

const DICTIONARIES: ReadonlyMap<number, Buffer> = new Map([[1, DICTIONARY_V1]]);
const CURRENT = 1;

export function pack(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const body = deflateRawSync(json, { dictionary: DICTIONARY_V1, level: 6 });
  return Buffer.concat([Buffer.of(CURRENT), body]);
}

export function unpack<T = unknown>(stored: Buffer | string): T {
  // Rows written before this codec hold plain JSON text.
  if (typeof stored === 'string') return JSON.parse(stored) as T;
  const dictionary = DICTIONARIES.get(stored[0] ?? -1);
  if (!dictionary) throw new Error(`state value packed with unknown dictionary ${stored[0]}; upgrade masync`);
  return JSON.parse(inflateRawSync(stored.subarray(1), { dictionary }).toString('utf8')) as T;
}
