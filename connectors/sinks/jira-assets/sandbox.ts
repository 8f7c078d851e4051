import type { ConnectorDeps } from '../../../src/engine/connector';
import type { SandboxPart, SandboxPartFactory, SandboxPartOptions } from '../../../src/sandbox/part';
import { standaloneContext } from '../../../src/engine/types';
import { createHttpClient } from '../../../src/http';
import { Redactor } from '../../../src/http/redact';
import { silentLogger } from '../../../src/log/logger';
import { loadMapping, resolveMappingPath } from '../../../src/mapping/load';
import { JiraAssetsEmulator } from './emulator';
import { SANDBOX_ACCOUNT, seedHandMadeModels, seedSandboxSite, type JiraSandboxSeed } from './fixtures/sandbox';
import { jiraAssetsSink } from './index';

const TOKEN_ENV = 'MASYNC_SANDBOX_JIRA_TOKEN';

export interface JiraSandboxOptions {
  deployment?: 'cloud' | 'datacenter';
  /** Start with the ML Inventory schema made (by masync's own bootstrap) and hand-made models in it; default: an empty workspace. */
  bootstrapped?: boolean;
}

/** The part, with its emulator and seed for tests that look inside. */
export interface JiraSandboxPart extends SandboxPart {
  emulator: JiraAssetsEmulator;
  seed: JiraSandboxSeed;
}

/**
 * An emulated Jira site for the sandbox. By default its Assets workspace has
 * no ML schema yet, so the demo runs `--apply-schema` first, as a new
 * customer would.
 */
export function jiraAssetsSandboxPart(opts: JiraSandboxOptions = {}): SandboxPartFactory {
  return (part) => startJiraAssetsSandbox(opts, part);
}

export async function startJiraAssetsSandbox(opts: JiraSandboxOptions, part: SandboxPartOptions): Promise<JiraSandboxPart> {
  const deployment = opts.deployment ?? 'cloud';
  const emu = new JiraAssetsEmulator({ deployment });
  const seed = seedSandboxSite(emu);
  await emu.start();
  // A fault without a status only delays: every request waits, as over a real network.
  if (part.latencyMs) emu.server.faults.inject({ delayMs: part.latencyMs, times: Number.POSITIVE_INFINITY });
  const secret = deployment === 'cloud' ? SANDBOX_ACCOUNT.apiToken : SANDBOX_ACCOUNT.pat;
  const common = { name: 'assets-sandbox', type: 'jira-assets', deployment, schema: 'ML Inventory', managedBy: 'masync', mapping: 'jira-assets' };
  const config: Record<string, unknown> =
    deployment === 'cloud'
      ? { ...common, site: emu.url, apiBase: emu.url, email: SANDBOX_ACCOUNT.email, apiToken: `\${${TOKEN_ENV}}`, emailDomain: 'example.com' }
      : { ...common, baseUrl: emu.url, token: `\${${TOKEN_ENV}}` };
  if (opts.bootstrapped) {
    await bootstrap({ ...config, [deployment === 'cloud' ? 'apiToken' : 'token']: secret });
    seedHandMadeModels(emu);
  }
  return {
    role: 'sink',
    config,
    env: { [TOKEN_ENV]: secret },
    describe: `Jira Assets (${deployment}) on ${emu.url}: ${opts.bootstrapped ? 'schema "ML Inventory" with hand-made models' : 'an empty Assets workspace'}, users alice, bob and carol, hand-made IT objects`,
    server: emu.server,
    stop: () => emu.stop(),
    emulator: emu,
    seed,
  };
}

export const jiraAssetsSandbox: SandboxPartFactory = jiraAssetsSandboxPart();

async function bootstrap(raw: Record<string, unknown>): Promise<void> {
  const redactor = new Redactor();
  const deps: ConnectorDeps = { logger: silentLogger, redactor, clock: { now: () => new Date() }, http: (o) => createHttpClient({ ...o, logger: silentLogger, redactor }) };
  const config = jiraAssetsSink.schema.parse(raw);
  const sink = jiraAssetsSink.create(config, loadMapping(resolveMappingPath('jira-assets', '/')), deps);
  await sink.bootstrap?.({ dryRun: false }, standaloneContext(silentLogger));
}
