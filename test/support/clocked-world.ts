import { registry } from '../../connectors';
import type { RunBase } from '../../src/app/run-env';
import { loadRuntime, type Runtime } from '../../src/app/runtime';
import { runSync, type SyncResult } from '../../src/app/sync-run';
import { silentProgress } from '../../src/engine/types';
import { Redactor } from '../../src/http/redact';
import { MemoryLogger } from './deps';
import { SINK, startWorld, type World, type WorldConfig } from './sync-world';

export const HOUR = 3_600_000;

/**
 * The sync world with its ServiceNow instance on a test clock, and a runtime
 * in this process whose clock is the same one (or, `engineStill`, one that
 * never moves: as skewed as it likes). Each sync moves the clock an hour
 * unless told otherwise; the log holds only the last sync's lines.
 */
export class ClockedWorld {
  now: number;
  readonly logger = new MemoryLogger(new Redactor());
  private readonly never = new AbortController().signal;

  private constructor(
    readonly w: World,
    private readonly start: number,
    private readonly engineStill: boolean,
  ) {
    this.now = start;
  }

  private runtime?: Runtime;

  static async open(config: WorldConfig = {}, opts: { start?: string; engineStill?: boolean } = {}): Promise<ClockedWorld> {
    const start = Date.parse(opts.start ?? '2026-11-24T08:00:00.000Z');
    let world: ClockedWorld | undefined;
    const w = await startWorld(config, { servicenowNow: () => world?.now ?? start });
    world = new ClockedWorld(w, start, opts.engineStill ?? false);
    return world;
  }

  get rt(): Runtime {
    const engineNow = this.engineStill ? () => new Date(this.start) : () => new Date(this.now);
    this.runtime ??= loadRuntime(this.w.configFile, { registry, env: this.w.env, redactor: new Redactor(), makeLogger: () => this.logger, clock: { now: engineNow } });
    return this.runtime;
  }

  base(full = false): RunBase {
    return { logger: this.logger, signal: this.never, stopping: this.never, progressFor: () => silentProgress, full };
  }

  async sync(opts: { full?: boolean; advance?: number } = {}): Promise<SyncResult> {
    this.now += opts.advance ?? HOUR;
    this.logger.lines.length = 0;
    return runSync(this.rt, { allowMassRetire: false, waitMs: 0 }, this.base(opts.full ?? false));
  }

  /** The sink read's log line of the last sync. */
  sinkRead(): string {
    return this.logger.lines.find((l) => l.includes(`sink ${SINK}: `) && l.includes(' read: ')) ?? '';
  }

  async stop(): Promise<void> {
    this.runtime?.close();
    await this.w.stop();
  }
}
