import type { ModelItem, ModelVersionItem } from '../../../src/inventory';
import { formatKey } from './keys';
import { drop, firstOf, type MapSettings } from './map-settings';
import type { GroupSummary, PackageDetails, PackageSummary, Tags } from './wire';

/** A model package group with its tags. */
export interface GroupFacts {
  summary: GroupSummary;
  tags: Tags;
}

/** A versioned model package: its summary, Describe answer and tags. */
export interface PackageFacts {
  summary: PackageSummary;
  details: PackageDetails;
  tags: Tags;
}

export function modelKeyOf(s: MapSettings, group: string): string {
  return formatKey({ kind: 'model', account: s.scope.account, region: s.scope.region, group });
}

/**
 * A model package version. Customer metadata with a numeric value counts as a
 * metric (what teams record there: accuracy, auc…), the rest as params; the
 * S3 reports under ModelMetrics are linked by their ModelMetrics path.
 */
export function versionItem(s: MapSettings, p: PackageFacts, group: GroupFacts): ModelVersionItem {
  const metrics: Record<string, number> = {};
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.details.customerMetadata)) {
    const n = v.trim() === '' ? NaN : Number(v);
    if (Number.isFinite(n)) metrics[k] = n;
    else params[k] = v;
  }
  const container = p.details.containers.find((c) => c.modelDataUrl) ?? p.details.containers[0];
  return drop({
    kind: 'model_version',
    key: formatKey({ kind: 'model_version', account: s.scope.account, region: s.scope.region, group: p.summary.group, version: p.summary.version }),
    source: s.source,
    name: group.summary.name,
    observedAt: s.observedAt,
    tags: p.tags,
    links: p.details.metricReports,
    description: p.summary.description || undefined,
    owner: firstOf(p.tags[s.ownerTag], group.tags[s.ownerTag], p.details.createdBy),
    costCenter: firstOf(p.tags[s.costCenterTag], group.tags[s.costCenterTag]),
    createdAt: p.summary.createdAt,
    updatedAt: p.details.updatedAt,
    versionOf: modelKeyOf(s, group.summary.name),
    version: String(p.summary.version),
    stage: p.summary.lifecycle?.stage,
    aliases: [],
    status: p.summary.status,
    artifactUri: container?.modelDataUrl,
    metrics,
    params,
    datasets: [],
    approval: p.summary.approval,
  });
}

/** A model package group; its latest version per approval status stands where MLflow has the latest per stage. */
export function modelItem(s: MapSettings, g: GroupFacts, versions: readonly PackageSummary[]): ModelItem {
  const latest: Record<string, number> = {};
  for (const v of versions) {
    if (v.approval && v.version > (latest[v.approval] ?? 0)) latest[v.approval] = v.version;
  }
  return drop({
    kind: 'model',
    key: modelKeyOf(s, g.summary.name),
    source: s.source,
    name: g.summary.name,
    observedAt: s.observedAt,
    tags: g.tags,
    links: {},
    description: g.summary.description || undefined,
    owner: firstOf(g.tags[s.ownerTag]),
    costCenter: firstOf(g.tags[s.costCenterTag]),
    createdAt: g.summary.createdAt,
    aliases: {},
    latestVersions: Object.fromEntries(Object.entries(latest).map(([status, n]) => [status, String(n)])),
  });
}
