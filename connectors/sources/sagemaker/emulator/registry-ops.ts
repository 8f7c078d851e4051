import { AwsFault, type AwsOperationCall } from '../../../aws-kit/emulator';
import { applyFilters } from './filters';
import { isDescending, oneOf, optionalString, pageSize, requiredString } from './input';
import type { ScopeStore } from './store';
import { describePackage, groupSummary, packageSummary } from './wire';

type Scoped = (call: AwsOperationCall) => ScopeStore;

const GROUP_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package-group\/([a-z0-9-]+)$/i;
const VERSIONED_ARN = /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):(\d{12}):model-package\/([a-z0-9-]+)\/(\d+)$/i;

/** The model registry: groups, their versioned packages, and one package's full description. */
export function registryOperations(scope: Scoped) {
  return {
    ListModelPackageGroups(call: AwsOperationCall) {
      const store = scope(call);
      const { input } = call;
      const sortBy = oneOf(input, 'SortBy', ['Name', 'CreationTime'] as const, 'CreationTime');
      const descending = isDescending(input, 'Ascending');
      const max = pageSize(input, { min: 1, max: 100, fallback: 10 });
      const items = applyFilters(store.groups.sorted(sortBy, descending), input, (g) => g);
      const page = store.groups.page(items, sortBy, descending, optionalString(input, 'NextToken'), max);
      return { ModelPackageGroupSummaryList: page.items.map(groupSummary), NextToken: page.nextToken };
    },

    /** With a group: that group's versions. Without: Unversioned packages by default (none here), or every versioned one. */
    ListModelPackages(call: AwsOperationCall) {
      const store = scope(call);
      const { input } = call;
      const sortBy = oneOf(input, 'SortBy', ['Name', 'CreationTime'] as const, 'CreationTime');
      const descending = isDescending(input, 'Ascending');
      const max = pageSize(input, { min: 1, max: 100, fallback: 10 });
      const type = oneOf(input, 'ModelPackageType', ['Versioned', 'Unversioned', 'Both'] as const);
      const approval = oneOf(input, 'ModelApprovalStatus', ['Approved', 'Rejected', 'PendingManualApproval'] as const);
      const group = optionalString(input, 'ModelPackageGroupName');
      // The group by name or ARN.
      const groupName = group === undefined ? undefined : (GROUP_ARN.exec(group)?.[1] ?? group);
      const collection = groupName !== undefined ? store.packagesByGroup.get(groupName.toLowerCase()) : store.packages;
      // The emulator holds versioned packages only: Unversioned lists nothing.
      if (!collection || type === 'Unversioned' || (groupName === undefined && type === undefined)) return { ModelPackageSummaryList: [] };
      let items = applyFilters(collection.sorted(sortBy, descending), input, (p) => ({ name: p.group, createdAt: p.createdAt }));
      if (approval) items = items.filter((p) => p.approval === approval);
      const page = collection.page(items, sortBy, descending, optionalString(input, 'NextToken'), max);
      return { ModelPackageSummaryList: page.items.map(packageSummary), NextToken: page.nextToken };
    },

    DescribeModelPackage(call: AwsOperationCall) {
      const store = scope(call);
      const name = requiredString(call.input, 'ModelPackageName');
      const m = VERSIONED_ARN.exec(name);
      const p = m && m[1] === store.region && m[2] === store.account ? store.packages.get(name.toLowerCase()) : undefined;
      if (!p) throw new AwsFault('ValidationException', `ModelPackage ${name} does not exist.`);
      return describePackage(p);
    },
  };
}
