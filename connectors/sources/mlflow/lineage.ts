import pLimit from 'p-limit';
import type { RunContext } from '../../../src/engine/types';
import { MalformedResponseError } from '../../../src/errors';
import { SAFE_RUN_ID, type MlflowClient, type Run } from './client';
import { lineageOf, type Lineage } from './map';
import { pages } from './paging';
import { GONE, RunStore, entryOf, isSettled, type RunEntry } from './run-cache';

/** What a version learns of its run. */
export type RunOutcome = { kind: 'found'; lineage: Lineage } | { kind: 'gone' } | { kind: 'invalid'; error: MalformedResponseError };

export interface LineageSettings {
  source: string;
  /** Run ids per runs/search call. */
  batchSize: number;
  /** Experiments per experiments/search page. */
  experimentsPageSize: number;
  /** Calls at once (the HTTP layer's limit too). */
  concurrency: number;
}

/** Calls this read made for lineage, for the log line at its end and the tests. */
export interface LineageStats {
  fromCache: number;
  searched: number;
  fetchedOneByOne: number;
}

/**
 * Resolves run ids to lineage for one read. Settled runs come from the
 * connector cache (unless the read is full); the rest are fetched in batches
 * with runs/search across every experiment, deleted ones included. A run
 * search did not return, or whose id may not enter a filter, is asked for
 * with runs/get: only a 404 there makes it gone. When the cache holds no run
 * (a first or full read), the experiments are listed at once, beside the
 * first page of versions, since every run will be searched for.
 */
export class LineageResolver {
  readonly stats: LineageStats = { fromCache: 0, searched: 0, fetchedOneByOne: 0 };
  /** Runs read from MLflow in this read that a later page may meet again. */
  private readonly readNow = new Set<string>();
  private readonly invalid = new Map<string, MalformedResponseError>();
  private readonly store: RunStore;
  private experimentIds?: Promise<string[]>;

  constructor(
    private readonly client: MlflowClient,
    private readonly settings: LineageSettings,
    private readonly ctx: RunContext,
  ) {
    this.store = new RunStore(ctx.cache, ctx.full);
    if (this.store.isEmpty()) this.experiments().catch(() => undefined); // its failure is the first search's
  }

  /** Keep what this read learnt for the next (call once the versions are all read). */
  save(): void {
    this.store.save();
  }

  async resolve(runIds: Iterable<string>): Promise<Map<string, RunOutcome>> {
    const out = new Map<string, RunOutcome>();
    const toSearch: string[] = [];
    const toGet: string[] = [];
    for (const id of new Set(runIds)) {
      const known = this.known(id);
      if (known) out.set(id, known);
      else (SAFE_RUN_ID.test(id) ? toSearch : toGet).push(id);
    }
    const tasks: Array<() => Promise<void>> = [];
    for (let i = 0; i < toSearch.length; i += this.settings.batchSize) {
      const batch = toSearch.slice(i, i + this.settings.batchSize);
      tasks.push(() => this.search(batch, out));
    }
    for (const id of toGet) tasks.push(() => this.get(id, out));
    await runAll(tasks, this.settings.concurrency);
    return out;
  }

  private known(id: string): RunOutcome | undefined {
    const invalid = this.invalid.get(id);
    if (invalid) return { kind: 'invalid', error: invalid };
    const entry = this.store.get(id);
    if (!entry || !(this.readNow.has(id) || (!this.ctx.full && isSettled(entry)))) return undefined;
    this.stats.fromCache += 1;
    return outcomeOf(entry);
  }

  private async search(batch: string[], out: Map<string, RunOutcome>): Promise<void> {
    const experimentIds = await this.experiments();
    const wanted = new Set(batch);
    if (experimentIds.length > 0) {
      const fetch = (token: string | undefined) =>
        this.client.searchRuns({ experimentIds, runIds: batch, maxResults: batch.length, pageToken: token, signal: this.ctx.signal });
      for await (const page of pages(this.ctx, this.settings.source, fetch)) {
        for (const run of page.items) {
          if (!wanted.delete(run.info.run_id)) continue; // not asked for, or a duplicate
          this.stats.searched += 1;
          this.remember(run.info.run_id, runEntry(run), out);
        }
        for (const bad of page.invalid) {
          if (bad.runId === undefined || !wanted.delete(bad.runId)) continue;
          this.invalid.set(bad.runId, bad.error);
          out.set(bad.runId, { kind: 'invalid', error: bad.error });
        }
      }
    }
    // Not in any experiment the listing showed: deleted for good, or in one created or hidden since.
    await Promise.all([...wanted].map((id) => this.get(id, out)));
  }

  private async get(id: string, out: Map<string, RunOutcome>): Promise<void> {
    this.stats.fetchedOneByOne += 1;
    let run: Run | undefined;
    try {
      run = await this.client.getRun(id, this.ctx.signal);
    } catch (err) {
      if (!(err instanceof MalformedResponseError)) throw err;
      this.invalid.set(id, err);
      out.set(id, { kind: 'invalid', error: err });
      return;
    }
    this.remember(id, run ? runEntry(run) : GONE, out);
  }

  private remember(id: string, entry: RunEntry, out: Map<string, RunOutcome>): void {
    this.store.set(id, entry);
    // A settled run is found in the cache by later pages anyway, unless this read is full.
    if (this.ctx.full || !isSettled(entry)) this.readNow.add(id);
    out.set(id, outcomeOf(entry));
  }

  /** Every experiment id, listed once per read and only when some run has to be fetched. */
  private experiments(): Promise<string[]> {
    this.experimentIds ??= (async () => {
      const ids: string[] = [];
      const fetch = (token: string | undefined) => this.client.searchExperiments(token, { maxResults: this.settings.experimentsPageSize, signal: this.ctx.signal });
      for await (const page of pages(this.ctx, this.settings.source, fetch)) ids.push(...page.ids);
      return ids;
    })();
    return this.experimentIds;
  }
}

function runEntry(run: Run): RunEntry {
  return entryOf(run, lineageOf(run));
}

function outcomeOf(entry: RunEntry): RunOutcome {
  return 'gone' in entry ? { kind: 'gone' } : { kind: 'found', lineage: entry.lineage };
}

/** Runs every task, `concurrency` at a time; after the first failure, starts no more (the read is lost already). */
async function runAll(tasks: ReadonlyArray<() => Promise<void>>, concurrency: number): Promise<void> {
  const limit = pLimit(concurrency);
  let failed = false;
  await Promise.all(
    tasks.map((task) =>
      limit(async () => {
        if (failed) return;
        try {
          await task();
        } catch (err) {
          failed = true;
          throw err;
        }
      }),
    ),
  );
}
