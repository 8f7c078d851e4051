import { jiraAssetsSink } from '../../connectors/sinks/jira-assets';
import { JiraAssetsEmulator, type JiraAssetsEmulatorOptions } from '../../connectors/sinks/jira-assets/emulator';
import { SANDBOX_ACCOUNT, seedSandboxSite, type JiraSandboxSeed } from '../../connectors/sinks/jira-assets/fixtures/sandbox';
import type { Clock, CreateWrite, DesiredRecord, RunContext, Sink } from '../../src/engine/types';
import type { DeploymentItem, InventoryItem, ModelItem } from '../../src/inventory';
import { evaluateMapping } from '../../src/mapping/evaluate';
import { loadMapping, resolveMappingPath } from '../../src/mapping/load';
import type { Mapping } from '../../src/mapping/schema';
import { testCtx, testDeps, type TestDeps } from '../support/deps';
import { modelItem as makeModel, versionItem } from '../support/items';

export type Deployment = 'cloud' | 'datacenter';
export const DEPLOYMENTS: Deployment[] = ['cloud', 'datacenter'];

export interface JiraSetup {
  deployment?: Deployment;
  emulator?: Omit<JiraAssetsEmulatorOptions, 'deployment'>;
  /** Run the sink's own bootstrap before the test; default true. */
  bootstrapped?: boolean;
  /** The secret the sink signs in with; default the sandbox account's. */
  secret?: string;
  pageSize?: number;
  retries?: number;
  clock?: Clock;
  config?: Record<string, unknown>;
}

export interface JiraFixture {
  emu: JiraAssetsEmulator;
  seed: JiraSandboxSeed;
  deps: TestDeps;
  sink: Sink;
  mapping: Mapping;
  secret: string;
  /** Where the Assets API lives on the emulator (Cloud gateway path or DC REST path), ending in "/". */
  base: string;
  ctx(): RunContext;
  teardown(): Promise<void>;
}

const running: JiraAssetsEmulator[] = [];

/** Stops every emulator the current test started; for afterEach. */
export async function stopJira(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.stop()));
}

/** The sandbox site on a free port, and the real sink talking to it over HTTP. */
export async function startJira(setup: JiraSetup = {}): Promise<JiraFixture> {
  const deployment = setup.deployment ?? 'cloud';
  const emu = new JiraAssetsEmulator({ deployment, ...setup.emulator });
  const seed = seedSandboxSite(emu);
  await emu.start();
  running.push(emu);
  const good = deployment === 'cloud' ? SANDBOX_ACCOUNT.apiToken : SANDBOX_ACCOUNT.pat;
  const mapping = loadMapping(resolveMappingPath('jira-assets', '/'));
  const build = (secret: string, deps: TestDeps) => {
    const endpoint = deployment === 'cloud' ? { site: emu.url, apiBase: emu.url, email: SANDBOX_ACCOUNT.email, apiToken: secret } : { baseUrl: emu.url, token: secret };
    const config = jiraAssetsSink.schema.parse({
      name: 'assets-test',
      type: 'jira-assets',
      deployment,
      ...endpoint,
      ...(setup.pageSize !== undefined ? { pageSize: setup.pageSize } : {}),
      ...(setup.retries !== undefined ? { http: { retries: setup.retries } } : {}),
      ...setup.config,
    });
    return jiraAssetsSink.create(config, mapping, deps);
  };
  if (setup.bootstrapped ?? true) {
    const admin = testDeps();
    await build(good, admin).bootstrap?.({ dryRun: false }, testCtx(admin));
    emu.server.clearRequests();
  }
  const deps = testDeps({ ...(setup.clock ? { clock: setup.clock } : {}) });
  const secret = setup.secret ?? good;
  const base = deployment === 'cloud' ? `/jsm/assets/workspace/${emu.workspaceId}/v1/` : '/rest/assets/1.0/';
  return { emu, seed, deps, sink: build(secret, deps), mapping, secret, base, ctx: () => testCtx(deps), teardown: () => emu.stop() };
}

export function modelItem(name: string, extra: Partial<ModelItem> = {}): InventoryItem {
  return makeModel(`mlflow://h/models/${encodeURIComponent(name)}`, 'mlflow-test', name, extra);
}

export { versionItem };

export function deploymentItem(name: string, extra: Partial<DeploymentItem> = {}): InventoryItem {
  return {
    kind: 'deployment',
    key: `sagemaker://123456789012/eu-west-1/endpoints/${name}`,
    source: 'sagemaker-test',
    name,
    observedAt: '2026-11-23T12:00:00.000Z',
    tags: {},
    links: {},
    endpoint: name,
    status: 'InService',
    ...extra,
  };
}

/** The desired record the engine would build: mapped, then identity and ownership stamped on. */
export function desired(sink: Sink, mapping: Mapping, item: InventoryItem): DesiredRecord {
  const rec = evaluateMapping(mapping, item);
  if (!rec) throw new Error(`mapping does not map ${item.kind}`);
  rec.fields = { ...rec.fields, [sink.identity.field]: sink.identity.of(item.key), ...sink.ownershipFields() };
  return rec;
}

/** A create write as the applier would send it, with lookups left out (they need resolve()). */
export function createWrite(sink: Sink, mapping: Mapping, item: InventoryItem): CreateWrite {
  const rec = desired(sink, mapping, item);
  const fields = Object.fromEntries(Object.entries(rec.fields).filter(([f]) => !(f in rec.lookups)));
  return { op: 'create', class: rec.class, key: rec.key, fields };
}

/** Every AQL query the emulator received, in order. */
export function sentQueries(emu: JiraAssetsEmulator): string[] {
  return emu.server.requests.flatMap((r) => {
    const q = r.method === 'GET' ? r.query.get('qlQuery') : (r.body as { qlQuery?: string } | undefined)?.qlQuery;
    return typeof q === 'string' ? [q] : [];
  });
}
