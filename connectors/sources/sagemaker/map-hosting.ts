import type { DeploymentItem, ServedModel, Variant } from '../../../src/inventory';
import { hintEntries } from './hints';
import { formatKey } from './keys';
import { consoleLinks, drop, firstOf, type MapSettings } from './map-settings';
import type { ComponentDetails, ComponentSummary, ConfigDetails, ContainerFacts, EndpointDetails, EndpointSummary, Tags } from './wire';

/** A SageMaker model as an endpoint or component serves it; `gone` when it was deleted while still serving. */
export interface ModelFacts {
  arn?: string;
  containers: ContainerFacts[];
  tags: Tags;
  gone?: boolean;
}

/** An endpoint with everything it was deployed with: its Describe answer, its config (unless deleted since), its models and tags. */
export interface EndpointFacts {
  summary: EndpointSummary;
  details: EndpointDetails;
  config?: ConfigDetails;
  models: Record<string, ModelFacts>;
  tags: Tags;
}

export interface ComponentFacts {
  summary: ComponentSummary;
  details: ComponentDetails;
  model?: ModelFacts;
  tags: Tags;
}

/** An endpoint: every production variant with what it runs on and what it serves; the main variant carries the most traffic weight. */
export function endpointItem(s: MapSettings, e: EndpointFacts): DeploymentItem {
  const vs = variantsOf(e);
  const main = vs.reduce<Variant | undefined>((best, v) => (!best || (v.weight ?? 0) > (best.weight ?? 0) ? v : best), undefined);
  const counts = vs.flatMap((v) => (v.currentInstanceCount === undefined ? [] : [v.currentInstanceCount]));
  return drop({
    kind: 'deployment',
    key: formatKey({ kind: 'deployment', account: s.scope.account, region: s.scope.region, endpoint: e.summary.name }),
    source: s.source,
    name: e.summary.name,
    observedAt: s.observedAt,
    tags: e.tags,
    links: consoleLinks(s.scope.region, e.summary.name),
    owner: firstOf(e.tags[s.ownerTag]),
    costCenter: firstOf(e.tags[s.costCenterTag]),
    createdAt: e.summary.createdAt,
    updatedAt: e.summary.updatedAt,
    endpoint: e.summary.name,
    variant: main?.name,
    instanceType: main?.instanceType,
    instanceCount: counts.length ? counts.reduce((a, b) => a + b, 0) : undefined,
    variants: vs,
    region: s.scope.region,
    account: s.scope.account,
    arn: e.summary.arn,
    status: e.summary.status,
  });
}

/**
 * An inference component: one model with its own copies on a shared endpoint.
 * It names the host variant's instance type but no instance count: the
 * instances are the endpoint's, and billed there once.
 */
export function componentItem(s: MapSettings, c: ComponentFacts, host: EndpointFacts | undefined): DeploymentItem {
  const hostVariant = host && c.summary.variant ? variantsOf(host).find((v) => v.name === c.summary.variant) : undefined;
  const served = c.details.modelName ? servedBy(c.details.modelName, c.model) : c.details.container ? [servedModel(undefined, { ...c.details.container, modelPackage: undefined }, {})] : [];
  const variant: Variant = drop({ name: c.summary.variant ?? '', instanceType: hostVariant?.instanceType, served });
  return drop({
    kind: 'deployment',
    key: formatKey({ kind: 'deployment', account: s.scope.account, region: s.scope.region, endpoint: c.summary.endpoint, component: c.summary.name }),
    source: s.source,
    name: c.summary.name,
    observedAt: s.observedAt,
    tags: c.tags,
    links: consoleLinks(s.scope.region, c.summary.endpoint),
    owner: firstOf(c.tags[s.ownerTag], host?.tags[s.ownerTag]),
    costCenter: firstOf(c.tags[s.costCenterTag], host?.tags[s.costCenterTag]),
    createdAt: c.summary.createdAt,
    updatedAt: c.summary.updatedAt,
    endpoint: c.summary.endpoint,
    component: c.summary.name,
    copyCount: c.details.copyCount,
    variant: c.summary.variant,
    instanceType: hostVariant?.instanceType,
    variants: [variant],
    region: s.scope.region,
    account: s.scope.account,
    arn: c.summary.arn,
    status: c.summary.status ?? '',
  });
}

// Running variants come from DescribeEndpoint; before any runs (Creating, Failed) the config says what was asked for.
function variantsOf(e: EndpointFacts): Variant[] {
  const configured = new Map((e.config?.variants ?? []).map((v) => [v.name, v]));
  const names = e.details.variants.length ? e.details.variants.map((v) => v.name) : [...configured.keys()];
  return names.map((name) => {
    const r = e.details.variants.find((v) => v.name === name);
    const c = configured.get(name);
    const scaling = r?.scaling ?? c?.scaling;
    const models = [...new Set([c?.modelName, ...(c?.poolModels ?? [])].filter((m): m is string => !!m))];
    return drop({
      name,
      instanceType: c?.instanceType ?? r?.pools?.[0]?.instanceType,
      currentInstanceCount: r?.currentInstanceCount,
      desiredInstanceCount: r?.desiredInstanceCount,
      serverless: r?.serverless ?? c?.serverless,
      minInstanceCount: scaling?.enabled ? scaling.min : undefined,
      weight: r?.weight ?? c?.weight,
      served: models.flatMap((m) => servedBy(m, e.models[m])),
    });
  });
}

/** A model's containers; a model that is gone still names itself. */
function servedBy(modelName: string, model: ModelFacts | undefined): ServedModel[] {
  if (!model || model.gone || model.containers.length === 0) return [{ modelName }];
  const tagHints = hintEntries(model.tags);
  return model.containers.map((c) => servedModel(modelName, c, tagHints));
}

function servedModel(modelName: string | undefined, c: ContainerFacts, tagHints: Record<string, string>): ServedModel {
  const hints = { ...c.hints, ...tagHints };
  return drop({ modelName, modelPackage: c.modelPackage, modelDataUrl: c.modelDataUrl, image: c.image, hints: Object.keys(hints).length ? hints : undefined });
}
