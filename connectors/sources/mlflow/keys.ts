import type { ItemKind } from '../../../src/inventory';

/*
 * The one codec for MLflow item keys: `mlflow://<namespace>/models/<name>` and
 * `…/versions/<n>`. Names are encodeURIComponent'd, so a "/" in a key is
 * always a separator.
 */

export function modelKey(namespace: string, name: string): string {
  return `mlflow://${namespace}/models/${encodeURIComponent(name)}`;
}

export function versionKey(namespace: string, name: string, version: string): string {
  return `${modelKey(namespace, name)}/versions/${version}`;
}

/** The kind a key names, or undefined when it is not a key of this namespace. */
export function kindOfKey(namespace: string, key: string): ItemKind | undefined {
  const prefix = `mlflow://${namespace}/`;
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  if (/^models\/[^/]+$/.test(rest)) return 'model';
  if (/^models\/[^/]+\/versions\/\d+$/.test(rest)) return 'model_version';
  return undefined;
}

/** The version key a model URI names (`models:/fraud-detector/3`); aliases and stages need a lookup, so they name none. */
export function keyOfModelUri(namespace: string, uri: string): string | undefined {
  const m = /^models:\/([^/@]+)\/(\d+)$/.exec(uri.trim());
  if (!m) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(m[1] as string);
  } catch {
    return undefined;
  }
  return versionKey(namespace, name, m[2] as string);
}
