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
