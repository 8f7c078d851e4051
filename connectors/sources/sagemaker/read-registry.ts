import type { InventoryItem } from '../../../src/inventory';
import { stampOf } from './describe-cache';
import { formatKey } from './keys';
import { modelItem, versionItem, type GroupFacts, type PackageFacts } from './map-registry';
import { collectEntries, orSkip, type ScopeRead } from './scope-reader';
import type { PackageSummary } from './wire';

// Packages in these states change no more on their own; a pending one is described on every read.
const SETTLED_PACKAGE = new Set(['Completed', 'Failed']);

/**
 * The model registry of one scope: every model package group (a `model`) and
 * every versioned package (a `model_version`, described for its containers,
 * metadata and metric reports, with its tags).
 */
export async function readRegistry(r: ScopeRead): Promise<InventoryItem[]> {
  const { client, call, settings, cache } = r;
  const groups = await collectEntries(r, client.modelPackageGroups(call), (g) => g.arn);
  const packages = await collectEntries(r, client.modelPackages(call), (p) => p.arn);

  const facts = new Map<string, GroupFacts>();
  await Promise.all(
    groups.map(async (g) => {
      // A group's listing shows no modification time: its tags are re-read when what it does show changes, or on a full read.
      const tags = await cache.remembered(`group-tags|${g.arn}`, stampOf(g.description, g.status, g.createdAt), true, () => client.tags(g.arn, call));
      facts.set(g.name.toLowerCase(), { summary: g, tags: tags ?? {} });
    }),
  );

  const versions: InventoryItem[] = [];
  const byGroup = new Map<string, PackageSummary[]>();
  await Promise.all(
    packages.map(async (p) => {
      const group = facts.get(p.group.toLowerCase());
      if (!group) {
        r.ctx.logger.debug(`${settings.source}: ${settings.scope.id}: model package ${p.arn} belongs to a group registered after the listing; read next time`);
        return;
      }
      const key = formatKey({ kind: 'model_version', account: settings.scope.account, region: settings.scope.region, group: p.group, version: p.version });
      const described = await orSkip(r, { item: `model package ${p.arn}`, key }, () =>
        // Summaries carry no modification time either: what UpdateModelPackage changes and the listing shows is the stamp.
        cache.remembered(`package|${p.arn}`, stampOf(p.status, p.approval, p.description, p.lifecycle), SETTLED_PACKAGE.has(p.status), async () => {
          const details = await client.describeModelPackage(p.arn, call);
          return details && { details, tags: await client.tags(p.arn, call) };
        }),
      );
      if (!described) return; // deleted since it was listed, or skipped
      const version: PackageFacts = { summary: p, ...described };
      const lower = p.group.toLowerCase();
      byGroup.set(lower, [...(byGroup.get(lower) ?? []), p]);
      versions.push(versionItem(settings, version, group));
    }),
  );

  const models = [...facts.entries()].map(([lower, g]) => modelItem(settings, g, byGroup.get(lower) ?? []));
  return [...versions, ...models];
}
