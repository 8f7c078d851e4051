import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * JSON values stored compactly. Rows are small (a few hundred bytes), too
 * small for plain deflate to find much to share, so they are deflated
 * against a preset dictionary: the built-in one of the words that recur in
 * items, records and journal entries, or one trained from this state file's
 * own rows (src/state/dictionaries.ts), which roughly halves them again.
 * The first byte says how a value is stored, so old rows stay readable:
 *   0: JSON text as it is (a value deflate would not shrink)
 *   1: deflated with the built-in dictionary
 *   2: deflated with a trained dictionary, named by the 4 bytes that follow.
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

const RAW = 0;
const BUILT_IN = 1;
const TRAINED = 2;

/** A trained preset dictionary: its bytes and the 4 bytes that name it in a packed value. */
export interface Dictionary {
  id: Buffer;
  bytes: Buffer;
}

/** Every trained dictionary this process has seen, by id: a packed value names its own. */
const known = new Map<string, Buffer>();

export function registerDictionary(d: Dictionary): void {
  const hex = d.id.toString('hex');
  const had = known.get(hex);
  if (had && !had.equals(d.bytes)) throw new Error(`state: two different codec dictionaries are named ${hex}`);
  known.set(hex, d.bytes);
}

// Small values recur (a relation's type and holder, an empty payload): packing each once is enough.
const SMALL = 200;
const memo = new Map<string, Buffer>();
const MEMO_MAX = 4096;

export function pack(value: unknown, dictionary?: Dictionary): Buffer {
  return packJson(JSON.stringify(value), dictionary);
}

/** Pack a value already written as JSON text (canonical JSON, say, whose hash the caller also takes). */
export function packJson(json: string, dictionary?: Dictionary): Buffer {
  if (json.length > SMALL) return compress(json, dictionary);
  const key = dictionary ? `${dictionary.id.toString('hex')}\u0000${json}` : json;
  let out = memo.get(key);
  if (!out) {
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(key, (out = compress(json, dictionary)));
  }
  return out;
}

function compress(json: string, dictionary: Dictionary | undefined): Buffer {
  const text = Buffer.from(json, 'utf8');
  const head = dictionary ? Buffer.concat([Buffer.of(TRAINED), dictionary.id]) : Buffer.of(BUILT_IN);
  const body = deflateRawSync(text, { dictionary: dictionary?.bytes ?? DICTIONARY_V1, level: 6 });
  return body.length + head.length < text.length + 1 ? Buffer.concat([head, body]) : Buffer.concat([Buffer.of(RAW), text]);
}

export function unpack<T = unknown>(stored: Buffer | string): T {
  // Rows written before this codec hold plain JSON text.
  if (typeof stored === 'string') return JSON.parse(stored) as T;
  return JSON.parse(unpackText(stored)) as T;
}

function unpackText(stored: Buffer): string {
  switch (stored[0]) {
    case RAW:
      return stored.toString('utf8', 1);
    case BUILT_IN:
      return inflateRawSync(stored.subarray(1), { dictionary: DICTIONARY_V1 }).toString('utf8');
    case TRAINED: {
      const id = stored.subarray(1, 5).toString('hex');
      const dictionary = known.get(id);
      if (!dictionary) throw new Error(`state value packed with dictionary ${id}, which this state file does not hold`);
      return inflateRawSync(stored.subarray(5), { dictionary }).toString('utf8');
    }
    default:
      throw new Error(`state value packed with unknown dictionary ${stored[0]}; upgrade masync`);
  }
}
