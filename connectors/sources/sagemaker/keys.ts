import type { ItemKind } from '../../../src/inventory';

/**
 * The one codec of SageMaker item keys: it builds them and parses them back.
 *
 *   sagemaker://<account>/<region>/model-package-groups/<group>
 *   sagemaker://<account>/<region>/model-package-groups/<group>/versions/<n>
 *   sagemaker://<account>/<region>/endpoints/<endpoint>
 *   sagemaker://<account>/<region>/endpoints/<endpoint>/components/<component>
 *
 * Names are as the resource's ARN has them (SageMaker lower-cases names there
 * and keeps them unique regardless of case), URL-encoded as the MLflow source
 * encodes its names, so an ARN maps to exactly one key.
 */
export type SageMakerRef =
  | { kind: 'model'; account: string; region: string; group: string }
  | { kind: 'model_version'; account: string; region: string; group: string; version: number }
  | { kind: 'deployment'; account: string; region: string; endpoint: string; component?: string };

const PREFIX = 'sagemaker://';
const KEY = /^sagemaker:\/\/(\d{12})\/([a-z0-9-]+)\/(model-package-groups|endpoints)\/([^/]+)(?:\/(versions|components)\/([^/]+))?$/;
const ARN = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):(\d{12}):(model-package-group|model-package|endpoint)\/([^/]+)(?:\/([1-9]\d*))?$/i;

const enc = (name: string) => encodeURIComponent(name.toLowerCase());

export function formatKey(ref: SageMakerRef): string {
  const scope = `${PREFIX}${ref.account}/${ref.region}`;
  switch (ref.kind) {
    case 'model':
      return `${scope}/model-package-groups/${enc(ref.group)}`;
    case 'model_version':
      return `${scope}/model-package-groups/${enc(ref.group)}/versions/${ref.version}`;
    case 'deployment':
      return `${scope}/endpoints/${enc(ref.endpoint)}${ref.component === undefined ? '' : `/components/${enc(ref.component)}`}`;
  }
}

/** What a key names, or undefined when it is not a well-formed SageMaker key. */
export function parseKey(key: string): SageMakerRef | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const [, account, region, collection, rawName, child, rawChild] = m as unknown as [string, string, string, string, string, string?, string?];
  const name = decode(rawName);
  const childName = rawChild === undefined ? undefined : decode(rawChild);
  if (name === undefined || (rawChild !== undefined && childName === undefined)) return undefined;
  let ref: SageMakerRef | undefined;
  if (collection === 'model-package-groups') {
    if (child === 'components') return undefined;
    if (child === undefined) ref = { kind: 'model', account, region, group: name };
    else if (/^[1-9]\d*$/.test(childName as string)) ref = { kind: 'model_version', account, region, group: name, version: Number(childName) };
  } else if (child !== 'versions') {
    ref = { kind: 'deployment', account, region, endpoint: name, ...(childName === undefined ? {} : { component: childName }) };
  }
  // Only the canonical spelling is ours: a key that would not be built the same way names nothing.
  return ref && formatKey(ref) === key ? ref : undefined;
}

export function kindOfKey(key: string): ItemKind | undefined {
  return parseKey(key)?.kind;
}

/** `<account>/<region>` of a key. */
export function scopeOfKey(key: string): string | undefined {
  const ref = parseKey(key);
  return ref && `${ref.account}/${ref.region}`;
}

/** The key of a model package group, a versioned model package or an endpoint, from its ARN. */
export function keyOfArn(arn: string): string | undefined {
  const m = ARN.exec(arn);
  if (!m) return undefined;
  const [, region, account, type, name, version] = m as unknown as [string, string, string, string, string, string?];
  const t = type.toLowerCase();
  if (t === 'model-package-group' && version === undefined) return formatKey({ kind: 'model', account, region, group: name });
  if (t === 'model-package' && version !== undefined) return formatKey({ kind: 'model_version', account, region, group: name, version: Number(version) });
  if (t === 'endpoint' && version === undefined) return formatKey({ kind: 'deployment', account, region, endpoint: name });
  return undefined;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
