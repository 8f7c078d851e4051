import type { RunContext } from '../../../src/engine/types';
import type { WandbClient } from './client';
import { lineageOf, type Lineage } from './lineage';
import { runLineagesQuery } from './queries';
import { runLineagesSchema, runSchema, type Artifact, type Run } from './wire';

/** Runs asked for per POST when an incremental read fills the gaps in its cache. */
export const RUN_BATCH = 50;
/** W&B run states after which a run's config and summary are settled (a resumed run is `running` again). */
export const SETTLED_RUN_STATES: ReadonlySet<string> = new Set(['finished', 'failed', 'crashed', 'killed']);
const WARM = 'lineage:warm';

/** `entity/project/run` of the run that logged a version, if a run did. */
export function runPathOf(a: Artifact): string | undefined {
  const run = a.createdBy?.__typename === 'Run' ? a.createdBy : undefined;
  return run?.project ? `${run.project.entity.name}/${run.project.name}/${run.name}` : undefined;
}

/**
 * Where each version's lineage comes from. A full read (or a cold cache) asks
 * W&B for every run's config and summary inline and remembers those of
 * settled runs behind committed versions. Later reads leave them out of the
 * page queries and take them from the cache; runs it lacks (new, still
 * running, pruned) are fetched in batches, 50 runs per POST.
 */
export class RunLineages {
  private truncated = 0;

  constructor(
    private readonly client: WandbClient,
    private readonly ctx: RunContext,
    private readonly modelTypes: readonly string[],
  ) {}

  /** Whether page queries should carry each run's config and summary. */
  inline(): boolean {
    return this.ctx.full || this.ctx.cache.get<boolean>(WARM) !== true;
  }

  /** The lineage of every run behind these versions (undefined for a run W&B no longer has). */
  async resolve(artifacts: readonly Artifact[], inline: boolean): Promise<Map<string, Lineage | undefined>> {
    const out = new Map<string, Lineage | undefined>();
    const missing = new Map<string, Run>();
    for (const a of artifacts) {
      const path = runPathOf(a);
      const run = a.createdBy?.__typename === 'Run' ? a.createdBy : undefined;
      if (!path || !run || out.has(path)) continue;
      if (inline) {
        out.set(path, this.remember(path, run, a));
        continue;
      }
      const cached = settled(a, run) ? this.ctx.cache.get<Lineage>(key(path)) : undefined;
      if (cached) out.set(path, cached);
      else missing.set(path, run);
    }
    const queue = [...missing];
    for (let i = 0; i < queue.length; i += RUN_BATCH) await this.fetch(queue.slice(i, i + RUN_BATCH), artifacts, out);
    return out;
  }

  /** After a read that succeeded: later reads may trust the cache. */
  finish(): void {
    this.ctx.cache.set(WARM, true);
    if (this.truncated) this.ctx.logger.warn(`${this.client.source}: ${this.truncated} run(s) used more than 100 input artifacts; only the first 100 are recorded as datasets`);
  }

  private async fetch(batch: Array<[string, Run]>, artifacts: readonly Artifact[], out: Map<string, Lineage | undefined>): Promise<void> {
    const variables: Record<string, string> = {};
    batch.forEach(([, run], i) => {
      variables[`e${i}`] = run.project?.entity.name ?? '';
      variables[`p${i}`] = run.project?.name ?? '';
      variables[`r${i}`] = run.name;
    });
    const data = await this.client.query('RunLineages', runLineagesQuery(batch.length), variables, this.ctx.signal);
    const answer = this.client.parse(runLineagesSchema, data, 'runs');
    batch.forEach(([path], i) => {
      const raw = answer[`r${i}`]?.run;
      if (raw === null || raw === undefined) {
        this.ctx.logger.warn(`${this.client.source}: run ${path} no longer exists; its versions are read without lineage`);
        out.set(path, undefined);
        return;
      }
      const run = this.client.parse(runSchema, raw, `run ${path}`, [`r${i}`, 'run']);
      out.set(path, this.remember(path, run, artifacts.find((a) => runPathOf(a) === path)));
    });
  }

  private remember(path: string, run: Run, a: Artifact | undefined): Lineage {
    if (run.inputArtifacts?.pageInfo.hasNextPage) this.truncated += 1;
    const lineage = lineageOf(run, this.modelTypes);
    if (a && settled(a, run)) this.ctx.cache.set(key(path), lineage);
    return lineage;
  }
}

function settled(a: Artifact, run: Run): boolean {
  return a.state === 'COMMITTED' && SETTLED_RUN_STATES.has(run.state ?? '');
}

function key(path: string): string {
  return `lineage:${path}`;
}
