import type { Dimension, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { DeploymentItem } from '../../../src/inventory';
import { scopeId as scopeOf } from '../../aws-kit';

/*
 * What to ask CloudWatch for each deployment, and how to pack those questions
 * into GetMetricData calls. SageMaker publishes `Invocations` in AWS/SageMaker
 * per production variant (dimensions EndpointName + VariantName) and, for an
 * inference component, per component (dimension InferenceComponentName).
 */

const NAMESPACE = 'AWS/SageMaker';
const METRIC = 'Invocations';
const PERIOD_SECONDS = 86_400;

/** GetMetricData's limits per call: metrics, and datapoints over all of them. */
const MAX_QUERIES_PER_CALL = 500;
const MAX_DATAPOINTS_PER_CALL = 100_800;

/** One metric series to read, and what it counts toward. */
export interface MetricTarget {
  deploymentKey: string;
  /** How an operator names it in a warning: "endpoint fraud-ep variant AllTraffic". */
  label: string;
  dimensions: Dimension[];
}

export interface QueryBatch {
  account: string;
  region: string;
  scope: string;
  /** Query id → what it reads; ids start with a lower-case letter and are unique in the call. */
  targets: Map<string, MetricTarget>;
}

/** The series a deployment's traffic is the sum of, or why there are none. */
export function targetsOf(d: DeploymentItem): MetricTarget[] | { reason: string } {
  if (d.component) {
    return [{ deploymentKey: d.key, label: `inference component ${d.component} on endpoint ${d.endpoint}`, dimensions: [{ Name: 'InferenceComponentName', Value: d.component }] }];
  }
  const variants = d.variants?.length ? d.variants.map((v) => v.name) : d.variant ? [d.variant] : [];
  // Guessing "AllTraffic" could read an empty series and call a busy endpoint idle.
  if (variants.length === 0) return { reason: 'no production variant is known for it' };
  return [...new Set(variants)].map((variant) => ({
    deploymentKey: d.key,
    label: `endpoint ${d.endpoint} variant ${variant}`,
    dimensions: [
      { Name: 'EndpointName', Value: d.endpoint },
      { Name: 'VariantName', Value: variant },
    ],
  }));
}

/** Queries per call for a window: both limits hold. */
function queriesPerCall(windowDays: number): number {
  return Math.max(1, Math.min(MAX_QUERIES_PER_CALL, Math.floor(MAX_DATAPOINTS_PER_CALL / windowDays)));
}

/**
 * One batch list per account and region. A deployment's series stay in one call, so its
 * usage is settled by that call alone.
 */
export function planBatches(deployments: ReadonlyArray<{ account: string; region: string; targets: MetricTarget[] }>, windowDays: number): QueryBatch[] {
  const limit = queriesPerCall(windowDays);
  const byScope = new Map<string, QueryBatch[]>();
  for (const d of deployments) {
    const scope = scopeOf(d.account, d.region);
    const batches = byScope.get(scope) ?? [];
    byScope.set(scope, batches);
    let last = batches[batches.length - 1];
    if (!last || last.targets.size + d.targets.length > limit) {
      last = { account: d.account, region: d.region, scope, targets: new Map() };
      batches.push(last);
    }
    for (const t of d.targets) last.targets.set(`q${last.targets.size}`, t);
  }
  return [...byScope.values()].flat();
}

/** The daily Sum of one Invocations series. */
export function invocationsQuery(id: string, dimensions: Dimension[]): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: NAMESPACE, MetricName: METRIC, Dimensions: dimensions }, Period: PERIOD_SECONDS, Stat: 'Sum' }, ReturnData: true };
}

/** The GetMetricData queries of a batch. */
export function metricQueries(batch: QueryBatch): MetricDataQuery[] {
  return [...batch.targets].map(([id, t]) => invocationsQuery(id, t.dimensions));
}
