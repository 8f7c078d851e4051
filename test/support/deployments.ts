import type { DeploymentItem, InventoryItem, Variant } from '../../src/inventory';

const OBSERVED_AT = '2026-11-23T12:00:00.000Z';

/** A SageMaker-like endpoint with one variant unless `variants` says otherwise. */
export function deployment(endpoint: string, extra: Partial<DeploymentItem> = {}): InventoryItem {
  const variants: Variant[] = extra.variants ?? [{ name: 'AllTraffic', instanceType: 'ml.m5.large', currentInstanceCount: 1, served: [] }];
  return {
    kind: 'deployment',
    key: `sagemaker://111122223333/us-east-1/endpoints/${endpoint}`,
    source: 'sm',
    name: endpoint,
    observedAt: OBSERVED_AT,
    tags: {},
    links: {},
    endpoint,
    status: 'InService',
    createdAt: '2026-01-01T00:00:00.000Z',
    variant: variants[0]?.name,
    instanceType: variants[0]?.instanceType,
    instanceCount: variants.reduce((n, v) => n + (v.currentInstanceCount ?? 0), 0),
    account: '111122223333',
    region: 'us-east-1',
    ...extra,
    variants,
  };
}

/** `days` of usage ending yesterday, `daily` oldest first. */
export function usage(daily: number[], windowEnd = '2026-11-22') {
  const last = daily.reduceRight<number | undefined>((found, n, i) => (found === undefined && n > 0 ? i : found), undefined);
  const end = Date.parse(`${windowEnd}T00:00:00Z`);
  return {
    windowDays: daily.length,
    invocations: daily.reduce((a, b) => a + b, 0),
    daily,
    windowEnd,
    ...(last !== undefined ? { lastInvocationDay: new Date(end - (daily.length - 1 - last) * 86_400_000).toISOString().slice(0, 10) } : {}),
  };
}
