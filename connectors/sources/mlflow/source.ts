import pLimit from 'p-limit';
import type { CheckResult, RunContext, Source } from '../../../src/engine/types';
import { AuthError, ConnectorError } from '../../../src/errors';
import { validateItem, type InventoryItem, type ItemKind, type ModelVersionItem } from '../../../src/inventory';
import { authHint, authKind, checkMlflow } from './check';
import type { MlflowClient, ModelVersion, Page } from './client';
import { keyNamespace, uiBase, type MlflowConfig } from './config';
import { lineageOf, modelItem, summarize, versionItem, type Lineage, type MapSettings, type ModelSummary } from './map';

/**
 * Reads an MLflow model registry: every registered model, every version, and
 * the run behind each version. Versions stream page by page; only the small
 * per-model summaries are held until the models are yielded last.
 */
export class MlflowSource implements Source {
  readonly type = 'mlflow';
  readonly name: string;
  private readonly namespace: string;
  private readonly prefix: string;

  constructor(
    private readonly config: MlflowConfig,
    private readonly client: MlflowClient,
  ) {
    this.name = config.name;
    this.namespace = keyNamespace(config);
    this.prefix = `mlflow://${this.namespace}/`;
  }

  // Names are encodeURIComponent'd into keys, so a "/" inside one is always a separator.
  kindOfKey(key: string): ItemKind | undefined {
    if (!key.startsWith(this.prefix)) return undefined;
    const rest = key.slice(this.prefix.length);
    if (/^models\/[^/]+$/.test(rest)) return 'model';
    if (/^models\/[^/]+\/versions\/\d+$/.test(rest)) return 'model_version';
    return undefined;
  }

  async *list(ctx: RunContext): AsyncIterable<InventoryItem> {
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

  private async *read(ctx: RunContext): AsyncGenerator<InventoryItem> {
    const settings: MapSettings = {
      source: this.name,
      namespace: this.namespace,
      uiUrl: uiBase(this.config),
      ownerTag: this.config.ownerTag,
      costCenterTag: this.config.costCenterTag,
      observedAt: ctx.clock.now().toISOString(),
    };
    const models = await this.readModels(ctx);
    const earliestOwner = new Map<string, { version: number; owner?: string }>();
    for await (const item of this.readVersions(ctx, settings, models)) {
      const n = Number(item.version);
      const prev = earliestOwner.get(item.name);
      if (!prev || n < prev.version) earliestOwner.set(item.name, { version: n, owner: item.owner });
      yield validateItem(this.name, item);
    }
    for (const m of models.values()) yield validateItem(this.name, modelItem(settings, m, earliestOwner.get(m.name)?.owner));
  }

  private async readModels(ctx: RunContext): Promise<Map<string, ModelSummary>> {
    const models = new Map<string, ModelSummary>();
    ctx.progress.start('MLflow registered models');
    try {
      for await (const page of this.pages(ctx, (token) => this.client.searchRegisteredModels(token, { signal: ctx.signal }))) {
        for (const m of page) models.set(m.name, summarize(m));
        ctx.progress.tick(page.length);
      }
    } finally {
      ctx.progress.done();
    }
    return models;
  }

  private async *readVersions(ctx: RunContext, settings: MapSettings, models: Map<string, ModelSummary>): AsyncGenerator<ModelVersionItem> {
    const runs = new Map<string, Lineage | undefined>();
    ctx.progress.start('MLflow model versions');
    try {
      for await (const page of this.pages(ctx, (token) => this.client.searchModelVersions(token, { signal: ctx.signal }))) {
        await this.fetchRuns(page, runs, ctx);
        for (const v of page) {
          const model = models.get(v.name);
          if (!model) {
            // Registered after the model listing finished; the next sync reads both together.
            ctx.logger.warn(`${this.name}: ${v.name} version ${v.version} belongs to a model that was not listed; skipped until the next sync`);
            continue;
          }
          const lineage = v.run_id ? runs.get(v.run_id) : undefined;
          if (v.run_id && !lineage) {
            ctx.logger.warn(`${this.name}: run ${v.run_id} of ${v.name} version ${v.version} no longer exists; version read without lineage`);
          }
          yield versionItem(settings, v, model, lineage);
        }
        ctx.progress.tick(page.length);
      }
    } finally {
      ctx.progress.done();
    }
  }

  /** Pages until MLflow stops sending a token; a token seen twice would loop forever, so it fails instead. */
  private async *pages<T>(ctx: RunContext, fetch: (token?: string) => Promise<Page<T>>): AsyncGenerator<T[]> {
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      ctx.signal.throwIfAborted();
      const page = await fetch(token);
      yield page.items;
      token = page.nextPageToken;
      if (token !== undefined) {
        if (seen.has(token)) throw new ConnectorError(`${this.name}: MLflow returned page token ${token} twice; the listing would never end`, { connector: this.name });
        seen.add(token);
      }
    } while (token !== undefined);
  }

  /** Each run once per read, however many versions share it; a gone run is remembered as undefined. */
  private async fetchRuns(page: ModelVersion[], runs: Map<string, Lineage | undefined>, ctx: RunContext): Promise<void> {
    const wanted = [...new Set(page.map((v) => v.run_id).filter((id): id is string => !!id && !runs.has(id)))];
    const limit = pLimit(this.config.http.concurrency);
    let failed = false;
    await Promise.all(
      wanted.map((id) =>
        limit(async () => {
          if (failed) return; // the read is lost already; queued requests would only add load
          try {
            const run = await this.client.getRun(id, ctx.signal);
            runs.set(id, run && lineageOf(run));
          } catch (err) {
            failed = true;
            throw err;
          }
        }),
      ),
    );
  }
}
