import { AwsFault, type AwsOperationCall } from '../../../aws-kit/emulator';
import { applyFilters } from './filters';
import { isDescending, oneOf, optionalString, pageSize, requiredString } from './input';
import type { ScopeStore } from './store';
import { describeConfig, describeEndpoint, describeModel, endpointSummary } from './wire';

type Scoped = (call: AwsOperationCall) => ScopeStore;

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const STATUSES = ['OutOfService', 'Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'InService', 'Deleting', 'Failed', 'UpdateRollbackFailed'] as const;

/**
 * Hosting: endpoints, the configs they were deployed with, and the models
 * those name. A missing resource is a 400 ValidationException "Could not
 * find …", as SageMaker answers (not the modeled ResourceNotFound).
 */
export function endpointOperations(scope: Scoped) {
  return {
    ListEndpoints(call: AwsOperationCall) {
      const store = scope(call);
      const { input } = call;
      const sortBy = oneOf(input, 'SortBy', ['Name', 'CreationTime', 'Status'] as const, 'CreationTime');
      const descending = isDescending(input, 'Descending');
      const max = pageSize(input, { min: 1, max: 100, fallback: 10 });
      oneOf(input, 'StatusEquals', STATUSES);
      const items = applyFilters(store.endpoints.sorted(sortBy, descending), input, (e) => e);
      const page = store.endpoints.page(items, sortBy, descending, optionalString(input, 'NextToken'), max);
      return { Endpoints: page.items.map(endpointSummary), NextToken: page.nextToken };
    },

    DescribeEndpoint(call: AwsOperationCall) {
      const store = scope(call);
      const name = requiredString(call.input, 'EndpointName', NAME);
      const e = store.endpoints.get(name.toLowerCase());
      if (!e) throw notFound('endpoint', store.arn('endpoint', name));
      return describeEndpoint(e, store.configs.get(e.config.toLowerCase()), (model) => store.models.get(model.toLowerCase()));
    },

    DescribeEndpointConfig(call: AwsOperationCall) {
      const store = scope(call);
      const name = requiredString(call.input, 'EndpointConfigName', NAME);
      const c = store.configs.get(name.toLowerCase());
      if (!c) throw notFound('endpoint configuration', store.arn('endpoint-config', name));
      return describeConfig(c);
    },

    DescribeModel(call: AwsOperationCall) {
      const store = scope(call);
      const name = requiredString(call.input, 'ModelName', NAME);
      const m = store.models.get(name.toLowerCase());
      if (!m) throw notFound('model', store.arn('model', name));
      return describeModel(m, store.account);
    },
  };
}

export function notFound(what: string, arn: string): AwsFault {
  return new AwsFault('ValidationException', `Could not find ${what} "${arn}".`);
}
