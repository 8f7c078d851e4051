import type { CheckResult, RunContext, Source, SourceContext } from '../../../src/engine/types';
import { AuthError, ConnectorError } from '../../../src/errors';
import { validateItem, type InventoryItem, type ItemKind, type ModelVersionItem } from '../../../src/inventory';
import { authHint, authKind, checkMlflow } from './check';
import type { InvalidRecord, MlflowClient, ModelVersion } from './client';
import { keyNamespace, uiBase, type MlflowConfig } from './config';
import { keyOfModelUri, kindOfKey, modelKey, versionKey } from './keys';
import { LineageResolver, type RunOutcome } from './lineage';
import { modelItem, summarize, versionItem, type MapSettings } from './map';
import { ModelIndex, type ModelLookup } from './model-index';
import { pages } from './paging';

/**
 * Reads an MLflow model registry: every registered model, every version, and
 * the run behind each version. Models and versions are listed side by side;
 * versions stream page by page, the next page fetched while this one's
 * lineage is resolved; only the small per-model summaries are held until the
 * models are yielded last.
 */
export class MlflowSource implements Source {
  readonly type = 'mlflow';
  readonly name: string;
  private readonly namespace: string;

  constructor(
    private readonly config: MlflowConfig,
    private readonly client: MlflowClient,
  ) {
    this.name = config.name;
    this.namespace = keyNamespace(config);
  }

  kindOfKey(key: string): ItemKind | undefined {
    return kindOfKey(this.namespace, key);
  }

  keyOfReference(reference: string): string | undefined {
    return keyOfModelUri(this.namespace, reference);
  }

  async *list(ctx: SourceContext): AsyncIterable<InventoryItem> {
    try {
      yield* this.read(ctx);
    } catch (err) {
      // The HTTP layer says what was refused; the operator also needs to hear what to change.
      if (err instanceof AuthError) {
        throw new AuthError(`${err.message} (${authHint(err.props.status, authKind(this.config))})`, { ...err.props, connector: this.name }, { cause: err });
      }
      throw err;
    }
  }

  check(ctx: RunContext): Promise<CheckResult[]> {
    return checkMlflow(this.client, this.config, ctx);
  }

  private async *read(ctx: SourceContext): AsyncGenerator<InventoryItem> {
    const settings: MapSettings = {
      source: this.name,
      namespace: this.namespace,
      uiUrl: uiBase(this.config),
      ownerTag: this.config.ownerTag,
      costCenterTag: this.config.costCenterTag,
      observedAt: ctx.clock.now().toISOString(),
    };
    ctx.progress.start('MLflow registered models and versions');
    try {
      // Models and versions are listed side by side; versions wait for the models only to be mapped.
      const models = this.readModels(ctx);
      models.catch(() => undefined); // its failure is thrown where the versions await it
      const earliestOwner = new Map<string, { version: number; owner?: string }>();
      try {
        for await (const items of this.readVersions(ctx, settings, models)) {
          for (const item of items) {
            const n = Number(item.version);
            const prev = earliestOwner.get(item.name);
            if (!prev || n < prev.version) earliestOwner.set(item.name, { version: n, owner: item.owner });
            yield item;
          }
        }
      } catch (err) {
        // When both listings fail (a rejected token), the error is the models listing's, whichever answered first.
        await models;
        throw err;
      }
      for (const m of (await models).values()) {
        const item = this.validated(ctx, `registered model ${m.name}`, modelItem(settings, m, earliestOwner.get(m.name)?.owner));
        if (item) yield item;
      }
    } finally {
      ctx.progress.done();
    }
  }

  private async readModels(ctx: SourceContext): Promise<ModelIndex> {
    const models = new ModelIndex(this.client, this.name, this.namespace, ctx);
    const fetch = (token: string | undefined) => this.client.searchRegisteredModels(token, { maxResults: this.config.pageSize, signal: ctx.signal });
    for await (const page of pages(ctx, this.name, fetch)) {
      for (const m of page.items) models.add(summarize(m));
      for (const bad of page.invalid) {
        if (bad.name !== undefined) models.markSkipped(bad.name);
        ctx.skipped({ item: `registered model ${bad.item}`, key: bad.name === undefined ? undefined : modelKey(this.namespace, bad.name), error: bad.error });
      }
      ctx.progress.tick(page.items.length);
    }
    return models;
  }

  /** Versions a page at a time: one generator step per page, not per version. */
  private async *readVersions(ctx: SourceContext, settings: MapSettings, modelsRead: Promise<ModelIndex>): AsyncGenerator<ModelVersionItem[]> {
    const lineage = new LineageResolver(
      this.client,
      { source: this.name, batchSize: this.config.runsBatchSize, experimentsPageSize: this.config.pageSize, concurrency: this.config.http.concurrency },
      ctx,
    );
    const fetch = (token: string | undefined) => this.client.searchModelVersions(token, { maxResults: this.config.versionsPageSize, signal: ctx.signal });
    for await (const page of pages(ctx, this.name, fetch, { ahead: true })) {
      for (const bad of page.invalid) this.skipInvalidVersion(ctx, bad);
      const runs = await lineage.resolve(page.items.flatMap((v) => (v.run_id ? [v.run_id] : [])));
      const models = await modelsRead;
      const items: ModelVersionItem[] = [];
      for (const v of page.items) {
        // Only a model the listing missed is waited for.
        const model = models.known(v.name) ?? (await models.get(v.name));
        const item = this.version(ctx, settings, v, model, runs);
        if (item) items.push(item);
      }
      yield items;
      ctx.progress.tick(page.items.length);
    }
    lineage.save();
    const { fromCache, searched, fetchedOneByOne } = lineage.stats;
    ctx.logger.info(`${this.name}: lineage of ${searched + fetchedOneByOne} run(s) read from MLflow (${fetchedOneByOne} one by one), ${fromCache} from the cache`);
  }

  private version(ctx: SourceContext, settings: MapSettings, v: ModelVersion, model: ModelLookup, runs: Map<string, RunOutcome>): ModelVersionItem | undefined {
    const what = `${v.name} version ${v.version}`;
    if (model === 'deleted') {
      // The model went away while its versions were listed; the next sync sees neither.
      ctx.logger.warn(`${this.name}: ${what} belongs to a model that no longer exists; skipped`);
      return undefined;
    }
    if (model === 'skipped') {
      const error = new ConnectorError(`${this.name}: ${what}: its registered model could not be read`, { connector: this.name, item: what });
      ctx.skipped({ item: what, key: versionKey(this.namespace, v.name, v.version), error });
      return undefined;
    }
    const run = v.run_id ? runs.get(v.run_id) : undefined;
    if (run?.kind === 'invalid') {
      // Without its lineage the version would look changed (metrics cleared); leave it as it is.
      ctx.skipped({ item: what, key: versionKey(this.namespace, v.name, v.version), error: run.error });
      return undefined;
    }
    if (run?.kind === 'gone') ctx.logger.warn(`${this.name}: run ${v.run_id} of ${what} no longer exists; version read without lineage`);
    return this.validated(ctx, what, versionItem(settings, v, model, run?.kind === 'found' ? run.lineage : undefined));
  }

  private skipInvalidVersion(ctx: SourceContext, bad: InvalidRecord): void {
    const key = bad.name !== undefined && bad.version !== undefined ? versionKey(this.namespace, bad.name, bad.version) : undefined;
    ctx.skipped({ item: bad.item, key, error: bad.error });
  }

  /** The item as the inventory accepts it, or undefined after reporting it skipped. */
  private validated<T extends InventoryItem>(ctx: SourceContext, what: string, item: T): T | undefined {
    try {
      return validateItem(this.name, item) as T;
    } catch (error) {
      ctx.skipped({ item: what, key: item.key, error });
      return undefined;
    }
  }
}
