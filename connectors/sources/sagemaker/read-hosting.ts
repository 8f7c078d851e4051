import type { InventoryItem } from '../../../src/inventory';
import { stampOf } from './describe-cache';
import { formatKey } from './keys';
import { componentItem, endpointItem, type ComponentFacts, type EndpointFacts, type ModelFacts } from './map-hosting';
import { collectEntries, orSkip, type ScopeRead } from './scope-reader';
import type { ComponentSummary, EndpointSummary } from './wire';

// An endpoint or component in one of these states changes only through a call that moves its LastModifiedTime.
const SETTLED_ENDPOINT = new Set(['InService', 'OutOfService', 'Failed', 'UpdateRollbackFailed']);
const SETTLED_COMPONENT = new Set(['InService', 'Failed']);

/**
 * Hosting in one scope: every endpoint (a `deployment`, with its variants
 * and the models they serve) and every inference component (a `deployment`
 * keyed below its endpoint). An endpoint's answers are kept across reads
 * while its LastModifiedTime and status stay the same; within a read, an
 * endpoint config or model shared by several endpoints is described once.
 */
export async function readHosting(r: ScopeRead): Promise<InventoryItem[]> {
  const { client, call } = r;
  const endpoints = await collectEntries(r, client.endpoints(call), (e) => e.arn);
  const hosts = new Map<string, EndpointFacts>();
  const items: InventoryItem[] = [];
  await Promise.all(
    endpoints.map(async (summary) => {
      const facts = await orSkip(r, { item: `endpoint ${summary.name} in ${r.settings.scope.id}`, key: endpointKey(r, summary.name) }, () => endpointFacts(r, summary));
      if (!facts) return; // deleted since it was listed, or skipped
      hosts.set(summary.name.toLowerCase(), facts);
      items.push(endpointItem(r.settings, facts));
    }),
  );
  const components = await collectEntries(r, client.inferenceComponents(call), (c) => c.arn);
  await Promise.all(
    components.map(async (summary) => {
      const key = endpointKey(r, summary.endpoint, summary.name);
      const facts = await orSkip(r, { item: `inference component ${summary.name} in ${r.settings.scope.id}`, key }, () => componentFacts(r, summary));
      if (facts) items.push(componentItem(r.settings, facts, hosts.get(summary.endpoint.toLowerCase())));
    }),
  );
  return items;
}

function endpointKey(r: ScopeRead, endpoint: string, component?: string): string {
  return formatKey({ kind: 'deployment', account: r.settings.scope.account, region: r.settings.scope.region, endpoint, ...(component === undefined ? {} : { component }) });
}

// The listing's summary is always today's; what is kept across reads is what the Describe calls said.
async function endpointFacts(r: ScopeRead, summary: EndpointSummary): Promise<EndpointFacts | undefined> {
  const { client, call, cache, settings } = r;
  const kept = await cache.remembered(`endpoint|${summary.arn}`, stampOf(summary.updatedAt, summary.status), SETTLED_ENDPOINT.has(summary.status), async () => {
    const details = await client.describeEndpoint(summary.name, call);
    if (!details) return undefined;
    const configName = details.configName;
    const config = configName ? await cache.once(`config|${settings.scope.id}|${configName.toLowerCase()}`, () => client.describeEndpointConfig(configName, call)) : undefined;
    if (configName && !config) r.ctx.logger.warn(`${settings.source}: ${settings.scope.id}: endpoint config ${configName} of endpoint ${summary.name} was deleted; its variants are read without instance types or models`);
    const names = [...new Set((config?.variants ?? []).flatMap((v) => [v.modelName, ...v.poolModels]).filter((m): m is string => !!m))];
    const models: Record<string, ModelFacts> = {};
    await Promise.all(names.map(async (name) => void (models[name] = await model(r, name))));
    return { details, ...(config ? { config } : {}), models, tags: await client.tags(summary.arn, call) };
  });
  return kept && { summary, ...kept };
}

async function componentFacts(r: ScopeRead, summary: ComponentSummary): Promise<ComponentFacts | undefined> {
  const { client, call, cache } = r;
  const settled = SETTLED_COMPONENT.has(summary.status ?? '');
  const kept = await cache.remembered(`component|${summary.arn}`, stampOf(summary.updatedAt, summary.status), settled, async () => {
    const details = await client.describeInferenceComponent(summary.name, call);
    if (!details) return undefined;
    const served = details.modelName ? await model(r, details.modelName) : undefined;
    return { details, ...(served ? { model: served } : {}), tags: await client.tags(summary.arn, call) };
  });
  return kept && { summary, ...kept };
}

/** A model and its tags, once per read; a model deleted while still serving is remembered as gone. */
function model(r: ScopeRead, name: string): Promise<ModelFacts> {
  const { client, call, cache, settings } = r;
  return cache.once(`model|${settings.scope.id}|${name.toLowerCase()}`, async () => {
    const details = await client.describeModel(name, call);
    if (!details) {
      r.ctx.logger.warn(`${settings.source}: ${settings.scope.id}: model ${name} was deleted but is still deployed; read by name only`);
      return { containers: [], tags: {}, gone: true };
    }
    return { arn: details.arn, containers: details.containers, tags: await client.tags(details.arn, call) };
  });
}
