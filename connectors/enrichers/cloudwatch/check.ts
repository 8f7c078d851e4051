import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CheckResult, RunContext } from '../../../src/engine/types';
import { describeError } from '../../../src/errors';
import type { Redactor } from '../../../src/http/redact';
import { scopeId as scopeOf, wrapAwsError, type AwsAccount } from '../../aws-kit';
import { awsAccessHint } from '../aws-access';
import type { CloudWatchConfig } from './config';
import { invocationsQuery } from './queries';
import { usageWindow } from './window';

/** Without configured regions, doctor probes one: enough to prove credentials and permission. */
const PROBE_REGION = 'us-east-1';

/**
 * `masync doctor` for CloudWatch: one GetMetricData call per account and
 * region, for a series nobody has, over one day. It proves the credentials,
 * the assumed role and the `cloudwatch:GetMetricData` permission.
 */
export async function checkCloudWatch(
  config: CloudWatchConfig,
  clientFor: (account: AwsAccount, region: string) => CloudWatchClient,
  redactor: Redactor,
  ctx: RunContext,
): Promise<CheckResult[]> {
  const window = usageWindow(ctx.clock.now(), 1);
  const probe = [invocationsQuery('probe', [{ Name: 'EndpointName', Value: 'masync-doctor-probe' }, { Name: 'VariantName', Value: 'AllTraffic' }])];
  const results: CheckResult[] = [];
  for (const account of config.accounts) {
    for (const region of config.regions ?? [PROBE_REGION]) {
      const scope = scopeOf(account.id, region);
      const check = `CloudWatch GetMetricData in ${scope}${account.roleArn ? ` as ${account.roleArn}` : ''}`;
      const client = clientFor(account, region);
      try {
        await client.send(new GetMetricDataCommand({ MetricDataQueries: probe, StartTime: window.start, EndTime: window.end }), { abortSignal: ctx.signal });
        results.push({ check, ok: true });
      } catch (err) {
        const wrapped = wrapAwsError(err, { connector: config.name, operation: 'GetMetricData', scope }, redactor);
        results.push({ check, ok: false, detail: describeError(wrapped), hint: awsAccessHint(wrapped, account, 'cloudwatch:GetMetricData', config.endpoint) });
      } finally {
        client.destroy();
      }
    }
  }
  return results;
}
