import type { AwsOperationCall } from '../../../aws-kit/emulator';
import { notFound } from './endpoint-ops';
import { applyFilters } from './filters';
import { isDescending, oneOf, optionalString, pageSize, requiredString } from './input';
import type { ScopeStore } from './store';
import { componentSummary, describeComponent } from './wire';

type Scoped = (call: AwsOperationCall) => ScopeStore;

/** Inference components: models hosted side by side on one endpoint, each with its own copies. */
export function componentOperations(scope: Scoped) {
  return {
    ListInferenceComponents(call: AwsOperationCall) {
      const store = scope(call);
      const { input } = call;
      const sortBy = oneOf(input, 'SortBy', ['Name', 'CreationTime', 'Status'] as const, 'CreationTime');
      const descending = isDescending(input, 'Descending');
      const max = pageSize(input, { min: 1, max: 100, fallback: 10 });
      const endpoint = optionalString(input, 'EndpointNameEquals')?.toLowerCase();
      const variant = optionalString(input, 'VariantNameEquals');
      let items = applyFilters(store.components.sorted(sortBy, descending), input, (c) => c);
      if (endpoint !== undefined || variant !== undefined) {
        items = items.filter((c) => (endpoint === undefined || c.endpoint.toLowerCase() === endpoint) && (variant === undefined || c.variant === variant));
      }
      const page = store.components.page(items, sortBy, descending, optionalString(input, 'NextToken'), max);
      return { InferenceComponents: page.items.map(componentSummary), NextToken: page.nextToken };
    },

    DescribeInferenceComponent(call: AwsOperationCall) {
      const store = scope(call);
      const name = requiredString(call.input, 'InferenceComponentName');
      const c = store.components.get(name.toLowerCase());
      if (!c) throw notFound('inference component', store.arn('inference-component', name));
      return describeComponent(c);
    },
  };
}
