import type { InventoryItem, ModelItem, ModelVersionItem } from '../../inventory';

/** In production: the Production stage, or an alias that means production (registries without stages). */
export function isProduction(v: ModelVersionItem, aliases: ReadonlySet<string>): boolean {
  return v.stage?.toLowerCase() === 'production' || v.aliases.some((a) => aliases.has(a.toLowerCase()));
}

export function aliasSet(aliases: readonly string[]): Set<string> {
  return new Set(aliases.map((a) => a.toLowerCase()));
}

/** Kept for a rollback: not archived, rejected, deleted or failed. */
export function isKept(v: ModelVersionItem): boolean {
  if (v.stage?.toLowerCase() === 'archived' || v.approval?.toLowerCase() === 'rejected') return false;
  return !['deleted', 'failed_registration', 'failed'].includes(v.status.toLowerCase());
}

/** A version's place in its model's order: its number, else when it was created. */
export function ordinal(v: ModelVersionItem): number {
  const n = Number(v.version);
  if (Number.isFinite(n)) return n;
  const t = v.createdAt ? Date.parse(v.createdAt) : NaN;
  return Number.isFinite(t) ? t : 0;
}

/** Each model with its versions as this run read them. */
export interface ModelFamily {
  model: ModelItem;
  versions: ModelVersionItem[];
  /** The newest production version, if any. */
  production?: ModelVersionItem;
}

/** Models this run read, each with its versions and its newest production version. */
export function families(items: readonly InventoryItem[], aliases: ReadonlySet<string>): ModelFamily[] {
  const byModel = new Map<string, ModelFamily>();
  for (const i of items) if (i.kind === 'model') byModel.set(i.key, { model: i, versions: [] });
  for (const v of items) {
    if (v.kind !== 'model_version') continue;
    const f = byModel.get(v.versionOf);
    if (!f) continue;
    f.versions.push(v);
    if (isProduction(v, aliases) && (!f.production || ordinal(v) > ordinal(f.production))) f.production = v;
  }
  return [...byModel.values()];
}
