import type { CheckResult, RunContext, Source, SourceContext } from '../../../src/engine/types';
import { AuthError, ConnectorError } from '../../../src/errors';
import type { InventoryItem, ItemKind } from '../../../src/inventory';
import { ItemAssembler } from './assemble';
import { authHint, checkWandb } from './check';
import type { WandbClient } from './client';
import { keyNamespace, LEGACY_REGISTRY_PROJECT, uiBase, type WandbConfig } from './config';
import { scopeOf, WandbKeys } from './key';
import type { MapSettings } from './map';
import { WandbReader, type Scope } from './reader';
import { ArtifactReferences } from './references';
import { RunLineages } from './run-lineage';

/**
 * Reads model collections and their versions from W&B: the configured
 * projects, the organization's Registry and, when asked, the entity's legacy
 * Model Registry. Each project is a scope: one that cannot be read (missing,
 * renamed, no access) is reported and retires nothing, and the others are
 * read. A registry that cannot be read fails the whole read: the versions
 * linked into it may live in projects masync reads only through it, and
 * which ones cannot be known without reading it.
 */
export class WandbSource implements Source {
  readonly type = 'wandb';
  readonly name: string;
  private readonly keys: WandbKeys;
  private readonly reader: WandbReader;
  /** What the last read's versions are named by, for deployments that name a W&B artifact. */
  private references: ArtifactReferences;

  constructor(
    private readonly config: WandbConfig,
    private readonly client: WandbClient,
  ) {
    this.name = config.name;
    this.keys = new WandbKeys(keyNamespace(config));
    this.reader = new WandbReader(client);
    this.references = new ArtifactReferences(this.keys);
  }

  kindOfKey(key: string): ItemKind | undefined {
    return this.keys.kindOf(key);
  }

  /** Every key lives in its W&B project, `entity/project`. */
  scopeOfKey(key: string): string | undefined {
    const parsed = this.keys.parse(key);
    return parsed && scopeOf(parsed.path);
  }

  /** A W&B artifact path (`wandb-artifact://entity/project/name:v3`, or bare, or by alias or registry path) of a version the last read saw. */
  keyOfReference(reference: string): string | undefined {
    return this.references.keyOf(reference);
  }

  async *list(ctx: SourceContext): AsyncIterable<InventoryItem> {
    const references = new ArtifactReferences(this.keys);
    this.references = references;
    try {
      for await (const item of this.read(ctx)) {
        references.add(item);
        yield item;
      }
    } catch (err) {
      // The HTTP layer says what was refused; the operator also needs to hear what to change.
      if (err instanceof AuthError) {
        throw new AuthError(`${err.message} (${authHint(err.props.status, uiBase(this.config))})`, { ...err.props, connector: this.name }, { cause: err });
      }
      throw err;
    }
  }

  check(ctx: RunContext): Promise<CheckResult[]> {
    return checkWandb(this.client, this.config, ctx);
  }

  private async *read(ctx: SourceContext): AsyncGenerator<InventoryItem> {
    const scopes = await this.scopes(ctx);
    const settings: MapSettings = {
      source: this.name,
      keys: this.keys,
      uiUrl: uiBase(this.config),
      ownerKey: this.config.ownerKey,
      costCenterKey: this.config.costCenterKey,
      stages: Object.entries(this.config.stages).map(([stage, aliases]) => [stage, new Set(aliases.map((a) => a.toLowerCase()))] as const),
      observedAt: ctx.clock.now().toISOString(),
    };
    const assembler = new ItemAssembler(settings, ctx, new Set(scopes.map(scopeOf)));
    const runs = new RunLineages(this.client, ctx, this.config.artifactTypes);
    const inline = runs.inline();
    let failed: unknown;
    let failures = 0;
    for (const scope of scopes) {
      ctx.progress.start(`W&B ${scope.entity}/${scope.project}`);
      try {
        for (const type of this.config.artifactTypes) {
          const opts = { pageSize: this.config.pageSize, lineage: inline, signal: ctx.signal, onBadNode: assembler.badNode.bind(assembler) };
          for await (const page of this.reader.collections(scope, type, opts)) {
            const lineages = await runs.resolve(page.flatMap((c) => c.versions.map((v) => v.artifact)), inline);
            for (const collection of page) {
              yield* assembler.collection(collection, lineages);
              ctx.progress.tick(collection.versions.length + 1);
            }
          }
        }
      } catch (err) {
        if (scope.kind !== 'project' || !scopeLocal(err)) throw err;
        ctx.scopeFailed(scopeOf(scope), err);
        failed = err;
        failures += 1;
      } finally {
        ctx.progress.done();
      }
    }
    if (failures > 0 && failures === scopes.length) throw failed;
    yield* assembler.finish();
    runs.finish();
  }

  /** Registries first: the organization's registries are discovered (and named ones checked) before any read. */
  private async scopes(ctx: RunContext): Promise<Scope[]> {
    const out: Scope[] = [];
    const { entity, registries } = this.config;
    if (registries) {
      const found = await this.reader.registries(registries.organization, registries.names, ctx.signal);
      for (const project of found.projects) out.push({ entity: found.orgEntity, project, kind: 'registry' });
    }
    if (entity && this.config.legacyRegistry) out.push({ entity, project: LEGACY_REGISTRY_PROJECT, kind: 'legacy' });
    if (entity) for (const project of this.config.projects) out.push({ entity, project, kind: 'project' });
    return out;
  }
}

/**
 * A failure that concerns one project (missing, a GraphQL error, a malformed
 * page), as opposed to one that every scope would hit (credentials, network,
 * a server in trouble, a stop signal).
 */
function scopeLocal(err: unknown): boolean {
  return err instanceof ConnectorError && !(err instanceof AuthError) && !err.retryable && err.props.code === undefined;
}
