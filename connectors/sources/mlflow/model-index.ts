import type { SourceContext } from '../../../src/engine/types';
import { MalformedResponseError } from '../../../src/errors';
import type { MlflowClient, RegisteredModel } from './client';
import { modelKey } from './keys';
import { summarize, type ModelSummary } from './map';

/** What a version finds of its model: its summary, or why there is none. */
export type ModelLookup = ModelSummary | 'skipped' | 'deleted';

/**
 * The registered models of one read, by name: those the listing returned, and
 * those a version names that the listing missed (registered meanwhile, or
 * shifted past by an offset page token), fetched one by one. A model that
 * could not be read is remembered as skipped, so its versions are left as
 * they are rather than retired.
 */
export class ModelIndex {
  private readonly models = new Map<string, ModelSummary>();
  private readonly skipped = new Set<string>();
  private readonly deleted = new Set<string>();

  constructor(
    private readonly client: MlflowClient,
    private readonly source: string,
    private readonly namespace: string,
    private readonly ctx: SourceContext,
  ) {}

  add(summary: ModelSummary): void {
    this.models.set(summary.name, summary);
  }

  /** A listed model that failed validation; its key is reported by the caller. */
  markSkipped(name: string): void {
    this.skipped.add(name);
  }

  /** What is known of the model without asking MLflow; undefined when only `get` can tell. */
  known(name: string): ModelLookup | undefined {
    const known = this.models.get(name);
    if (known) return known;
    if (this.skipped.has(name)) return 'skipped';
    if (this.deleted.has(name)) return 'deleted';
    return undefined;
  }

  async get(name: string): Promise<ModelLookup> {
    const known = this.known(name);
    if (known) return known;
    let model: RegisteredModel | undefined;
    try {
      model = await this.client.getRegisteredModel(name, this.ctx.signal);
    } catch (err) {
      if (!(err instanceof MalformedResponseError)) throw err;
      this.skipped.add(name);
      this.ctx.skipped({ item: `registered model ${name}`, key: modelKey(this.namespace, name), error: err });
      return 'skipped';
    }
    if (!model) {
      this.deleted.add(name);
      return 'deleted';
    }
    this.ctx.logger.info(`${this.source}: registered model ${name} was not in the listing (registered while reading); read on its own`);
    const summary = summarize(model);
    this.models.set(name, summary);
    return summary;
  }

  /** Every model with a summary, listed or fetched late. */
  values(): IterableIterator<ModelSummary> {
    return this.models.values();
  }
}
