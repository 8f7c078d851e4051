import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { registry } from '../../connectors';
import { startJiraAssetsSandbox, type JiraSandboxPart } from '../../connectors/sinks/jira-assets/sandbox';
import { tickingClock, WandbEmulator } from '../../connectors/sources/wandb/emulator';
import { seedSandbox } from '../../connectors/sources/wandb/fixtures/sandbox';
import type { RunBase } from '../../src/app/run-env';
import { loadRuntime, type Runtime } from '../../src/app/runtime';
import { runSync, type SyncResult } from '../../src/app/sync-run';
import { silentProgress } from '../../src/engine/types';
import { Redactor } from '../../src/http/redact';
import { MemoryLogger } from './deps';

const WANDB_KEY = 'jira-world-wandb-key-7c1f';
export const JIRA_SINK = 'assets-sandbox';

/**
 * The demo W&B registry synced into a bootstrapped Jira Assets workspace
 * (Cloud, users alice, bob and carol, no dave), with a runtime in this
 * process whose log holds only the last sync's lines.
 */
export class WandbJiraWorld {
  readonly logger = new MemoryLogger(new Redactor());
  readonly rt: Runtime;
  private readonly never = new AbortController().signal;

  private constructor(
    readonly wandb: WandbEmulator,
    readonly jira: JiraSandboxPart,
    private readonly dir: string,
  ) {
    const file = path.join(dir, 'masync.yaml');
    const source = { name: 'wandb-world', type: 'wandb', url: wandb.url, apiKey: '${WORLD_WANDB_KEY}', namespace: 'wandb.world', entity: 'ml-team', projects: ['fraud', 'churn'], registries: { organization: 'acme' } };
    writeFileSync(file, stringify({ state: { path: 'masync.db' }, sources: [source], sinks: [jira.config] }));
    const redactor = new Redactor();
    this.rt = loadRuntime(file, { registry, env: { ...jira.env, WORLD_WANDB_KEY: WANDB_KEY }, redactor, makeLogger: () => this.logger });
  }

  static async open(): Promise<WandbJiraWorld> {
    const wandb = new WandbEmulator({ apiKeys: { [WANDB_KEY]: 'masync-reader' }, clock: tickingClock() });
    seedSandbox(wandb);
    await wandb.start();
    const jira = await startJiraAssetsSandbox({ bootstrapped: true }, {});
    return new WandbJiraWorld(wandb, jira, mkdtempSync(path.join(os.tmpdir(), 'masync-wandb-jira-')));
  }

  base(full = false): RunBase {
    return { logger: this.logger, signal: this.never, stopping: this.never, progressFor: () => silentProgress, full };
  }

  async sync(opts: { full?: boolean } = {}): Promise<SyncResult> {
    this.logger.lines.length = 0;
    return runSync(this.rt, { allowMassRetire: false, waitMs: 0 }, this.base(opts.full ?? false));
  }

  async stop(): Promise<void> {
    this.rt.close();
    await Promise.all([this.wandb.stop(), this.jira.stop()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
