import { AwsFault, type AwsOperationCall } from '../../../aws-kit/emulator';
import { optionalString, pageSize, requiredString } from './input';
import type { ScopeStore } from './store';

type Scoped = (call: AwsOperationCall) => ScopeStore;

const ARN = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):(\d{12}):[a-z-]+\/.+$/i;

/** ListTags on any SageMaker ARN of the caller's account and region; MaxResults is at least 50. */
export function tagOperations(scope: Scoped) {
  return {
    ListTags(call: AwsOperationCall) {
      const store = scope(call);
      const arn = requiredString(call.input, 'ResourceArn', ARN);
      const m = ARN.exec(arn);
      if (m?.[1] !== store.region || m[2] !== store.account) throw new AwsFault('ValidationException', `Resource ${arn} is not in this account and region.`);
      const max = pageSize(call.input, { min: 50, fallback: 50 });
      const all = Object.entries(store.tags.get(arn.toLowerCase()) ?? {}).map(([Key, Value]) => ({ Key, Value }));
      const token = optionalString(call.input, 'NextToken');
      const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) throw new AwsFault('ValidationException', 'The NextToken is invalid.');
      const next = start + max < all.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
      return { Tags: all.slice(start, start + max), NextToken: next };
    },
  };
}
