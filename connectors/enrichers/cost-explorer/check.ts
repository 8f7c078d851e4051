import { ListCostAllocationTagsCommand, type CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { CheckResult, RunContext } from '../../../src/engine/types';
import { describeError } from '../../../src/errors';
import type { Redactor } from '../../../src/http/redact';
import { wrapAwsError, type AwsAccount } from '../../aws-kit';
import { awsAccessHint } from '../aws-access';
import type { CostExplorerConfig } from './config';

/**
 * `masync doctor` for Cost Explorer: per account, one ListCostAllocationTags
 * call for the configured tag key. It proves the credentials and permission,
 * and that the tag is activated for cost allocation (without which every cost
 * lands in the untagged group). It asks for no cost data.
 */
export async function checkCostExplorer(
  config: CostExplorerConfig,
  clientFor: (account: AwsAccount) => CostExplorerClient,
  redactor: Redactor,
  ctx: RunContext,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const account of config.accounts) {
    const reach = `Cost Explorer readable as account ${account.id}${account.roleArn ? ` (${account.roleArn})` : ''}`;
    const active = `cost allocation tag "${config.tagKey}" is active in account ${account.id}`;
    const client = clientFor(account);
    try {
      const out = await client.send(new ListCostAllocationTagsCommand({ TagKeys: [config.tagKey] }), { abortSignal: ctx.signal });
      results.push({ check: reach, ok: true });
      const tag = out.CostAllocationTags?.find((t) => t.TagKey === config.tagKey);
      if (tag?.Status === 'Active') results.push({ check: active, ok: true });
      else {
        results.push({
          check: active,
          ok: false,
          detail: tag ? `the tag is ${tag.Status ?? 'not active'}` : 'Billing has never seen the tag on a resource',
          hint:
            `tag each SageMaker endpoint with ${config.tagKey}=<endpoint name or ARN>, then activate "${config.tagKey}" under Billing → Cost allocation tags ` +
            '(in the management account of an organization); cost appears from activation on, up to 24 hours later',
        });
      }
    } catch (err) {
      const wrapped = wrapAwsError(err, { connector: config.name, operation: 'ListCostAllocationTags', scope: account.id }, redactor);
      results.push({ check: reach, ok: false, detail: describeError(wrapped), hint: awsAccessHint(wrapped, account, 'ce:GetCostAndUsage and ce:ListCostAllocationTags', config.endpoint) });
    } finally {
      client.destroy();
    }
  }
  return results;
}
