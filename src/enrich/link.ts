import type { DeploymentItem, InventoryItem, ModelVersionItem, ServedModel, Variant } from '../inventory';

export interface LinkRules {
  /** Hint keys (container environment, tags) whose value is a run id (MLFLOW_RUN_ID, mlflow.run_id…). */
  runIdHints: readonly string[];
  /** Hint keys whose value is a model reference a source can resolve (mlflow.model_uri = models:/fraud/3). */
  referenceHints: readonly string[];
}

/** Resolves a platform's own reference (a SageMaker model package ARN, `models:/name/3`) to an item key. */
export type ReferenceResolver = (reference: string) => string | undefined;

export interface Linked {
  /** The items, deployments with `servesVersionKey`, `serves` and each variant's `servesVersionKey` set. */
  items: InventoryItem[];
  /** How each deployment was linked, or why not, for the plan's notes. */
  notes: string[];
}

// A 32-hex MLflow run id as a path segment: mlflow-artifacts:/1/<run>/artifacts, s3://bucket/1/<run>/artifacts/model.tar.gz.
const RUN_ID_IN_PATH = /(?:^|[/:])([0-9a-f]{32})(?=\/|$)/g;

/**
 * Which registered version each deployment serves, from the facts its
 * containers carry. Tried in this order, the first rule that names exactly
 * one version wins:
 *   1. the container names a registry version: a model package ARN or a model
 *      URI, resolved by the source that owns that reference format;
 *   2. a hint (environment entry or tag) holds such a reference;
 *   3. a hint holds a run id that exactly one version was registered from;
 *   4. the model data URL lies under a version's artifact URI;
 *   5. the model data URL has a run id in its path that exactly one version has.
 * Pure: the same items and rules give the same links.
 */
export function linkDeployments(items: readonly InventoryItem[], resolve: ReferenceResolver, rules: LinkRules): Linked {
  // A registry read without deployments (MLflow alone) needs no index of its versions: at 100k they cost a second.
  if (!items.some((i) => i.kind === 'deployment')) return { items: [...items], notes: [] };
  const versions = items.filter((i): i is ModelVersionItem => i.kind === 'model_version');
  const byRunId = new Map<string, ModelVersionItem[]>();
  for (const v of versions) {
    if (!v.runId) continue;
    const same = byRunId.get(v.runId);
    if (same) same.push(v);
    else byRunId.set(v.runId, [v]);
  }
  const byArtifact = versions.filter((v) => v.artifactUri).map((v) => ({ prefix: normalize(v.artifactUri as string), key: v.key })).sort((a, b) => b.prefix.length - a.prefix.length);
  const versionKeys = new Set(versions.map((v) => v.key));
  const notes: string[] = [];
  const out = items.map((item) => {
    if (item.kind !== 'deployment') return item;
    const variants = (item.variants ?? []).map((v) => linkVariant(v, { resolve, rules, byRunId, byArtifact, versionKeys }));
    const serves = [...new Set(variants.map((v) => v.servesVersionKey).filter((k): k is string => k !== undefined))].sort();
    const main = variants.find((v) => v.name === item.variant) ?? variants[0];
    const linked: DeploymentItem = { ...item, variants, ...(serves.length ? { serves } : {}), ...(main?.servesVersionKey ? { servesVersionKey: main.servesVersionKey } : {}) };
    if (!linked.servesVersionKey && !linked.serves) delete linked.servesVersionKey;
    return linked;
  });
  const unlinked = out.filter((i) => i.kind === 'deployment' && !i.serves?.length).length;
  if (unlinked) notes.push(`${unlinked} deployment(s) serve no version registered in any source (see shadow findings)`);
  return { items: out, notes };
}

interface Index {
  resolve: ReferenceResolver;
  rules: LinkRules;
  byRunId: Map<string, ModelVersionItem[]>;
  byArtifact: Array<{ prefix: string; key: string }>;
  versionKeys: Set<string>;
}

function linkVariant(v: Variant, ix: Index): Variant {
  const key = firstFound(v.served, ix);
  return key ? { ...v, servesVersionKey: key } : omitLink(v);
}

function firstFound(served: readonly ServedModel[], ix: Index): string | undefined {
  const known = (k: string | undefined) => (k !== undefined && ix.versionKeys.has(k) ? k : undefined);
  const hints = (s: ServedModel, names: readonly string[]) => names.map((n) => s.hints?.[n]).filter((x): x is string => !!x);
  const rules: Array<(s: ServedModel) => string | undefined> = [
    (s) => known(s.modelPackage ? ix.resolve(s.modelPackage) : undefined),
    (s) => hints(s, ix.rules.referenceHints).map((r) => known(ix.resolve(r))).find(Boolean),
    (s) => hints(s, ix.rules.runIdHints).map((id) => only(ix.byRunId.get(id))).find(Boolean),
    (s) => (s.modelDataUrl ? ix.byArtifact.find((a) => under(normalize(s.modelDataUrl as string), a.prefix))?.key : undefined),
    (s) => only([...runIdsIn(s.modelDataUrl)].flatMap((id) => ix.byRunId.get(id) ?? [])),
  ];
  for (const rule of rules) {
    for (const s of served) {
      const key = rule(s);
      if (key) return key;
    }
  }
  return undefined;
}

function only(list: readonly ModelVersionItem[] | undefined): string | undefined {
  const keys = new Set((list ?? []).map((v) => v.key));
  return keys.size === 1 ? [...keys][0] : undefined;
}

function runIdsIn(url: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const m of (url ?? '').matchAll(RUN_ID_IN_PATH)) out.add(m[1] as string);
  return out;
}

/** Scheme and host lower-cased, no trailing slash, so `s3://B/x/` and `s3://b/x` compare equal. */
function normalize(uri: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/]*)(.*)$/i.exec(uri.trim());
  const text = m ? `${(m[1] as string).toLowerCase()}${(m[2] as string).toLowerCase()}${m[3] as string}` : uri.trim();
  return text.replace(/\/+$/, '');
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

function omitLink(v: Variant): Variant {
  const { servesVersionKey: _dropped, ...rest } = v;
  return rest;
}
