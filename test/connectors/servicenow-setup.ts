import { servicenowSink } from '../../connectors/sinks/servicenow';
import type { ServiceNowConfig } from '../../connectors/sinks/servicenow/config';
import { ServiceNowEmulator, type ServiceNowEmulatorOptions } from '../../connectors/sinks/servicenow/emulator';
import { SANDBOX_CREDENTIALS, seedSandboxInstance, type SandboxSeed } from '../../connectors/sinks/servicenow/fixtures/sandbox';
import type { Clock, ConnectorCache, DesiredRecord, RunContext, Sink, SinkWrite } from '../../src/engine/types';
import type { InventoryItem, ModelItem } from '../../src/inventory';
import { modelItem as makeModel, versionItem } from '../support/items';
import { evaluateMapping } from '../../src/mapping/evaluate';
import { loadMapping, resolveMappingPath } from '../../src/mapping/load';
import type { Mapping } from '../../src/mapping/schema';
import { testCtx, testDeps, type TestDeps } from '../support/deps';

export interface ServiceNowSetup {
  emulator?: ServiceNowEmulatorOptions;
  auth?: ServiceNowConfig['auth'];
  mapping?: 'servicenow' | 'servicenow-generic';
  pageSize?: number;
  clock?: Clock;
  retries?: number;
  /** More sink config keys (writeApi, batchSize, columns, http…). */
  config?: Record<string, unknown>;
}

export interface ServiceNowFixture {
  emu: ServiceNowEmulator;
  seed: SandboxSeed;
  deps: TestDeps;
  sink: Sink;
  mapping: Mapping;
  ctx(): RunContext;
  /** A context for one run of a series: the connector cache is the one given, kept from run to run. */
  runCtx(cache: ConnectorCache, opts?: { full?: boolean; clock?: Clock }): RunContext;
  teardown(): Promise<void>;
}

export const BASIC_AUTH = { username: SANDBOX_CREDENTIALS.username, password: SANDBOX_CREDENTIALS.password };

/** A seeded emulator and the real sink talking to it over HTTP. */
export async function startServiceNow(setup: ServiceNowSetup = {}): Promise<ServiceNowFixture> {
  const emu = new ServiceNowEmulator(setup.emulator);
  const seed = seedSandboxInstance(emu);
  await emu.start();
  const deps = testDeps(setup.clock ? { clock: setup.clock } : {});
  const config = servicenowSink.schema.parse({
    name: 'snow-test',
    type: 'servicenow',
    instance: emu.url,
    auth: setup.auth ?? BASIC_AUTH,
    pageSize: setup.pageSize ?? 500,
    ...(setup.retries !== undefined ? { http: { retries: setup.retries } } : {}),
    ...setup.config,
  });
  const mapping = loadMapping(resolveMappingPath(setup.mapping ?? 'servicenow', '/'));
  const sink = servicenowSink.create(config, mapping, deps);
  const runCtx = (cache: ConnectorCache, opts: { full?: boolean; clock?: Clock } = {}) => ({ ...testCtx(deps), cache, full: opts.full ?? false, ...(opts.clock ? { clock: opts.clock } : {}) });
  return { emu, seed, deps, sink, mapping, ctx: () => testCtx(deps), runCtx, teardown: () => emu.stop() };
}

export function modelItem(name: string, extra: Partial<ModelItem> = {}): InventoryItem {
  return makeModel(`mlflow://h/models/${encodeURIComponent(name)}`, 'mlflow-test', name, extra);
}

export { versionItem };

/** The desired record the engine would build: mapped, then identity and ownership stamped on. */
export function desired(sink: Sink, mapping: Mapping, item: InventoryItem): DesiredRecord {
  const rec = evaluateMapping(mapping, item);
  if (!rec) throw new Error(`mapping does not map ${item.kind}`);
  rec.fields = { ...rec.fields, [sink.identity.field]: sink.identity.of(item.key), ...sink.ownershipFields() };
  return rec;
}

/** A create write as the applier would send it, with lookups left out (they need resolve()). */
export function createWrite(sink: Sink, mapping: Mapping, item: InventoryItem): Extract<SinkWrite, { op: 'create' }> {
  const rec = desired(sink, mapping, item);
  const fields = Object.fromEntries(Object.entries(rec.fields).filter(([f]) => !(f in rec.lookups)));
  return { op: 'create', class: rec.class, key: rec.key, fields };
}

/** Every sysparm_query the emulator received. */
export function sentQueries(emu: ServiceNowEmulator): string[] {
  return emu.server.requests.map((r) => r.query.get('sysparm_query')).filter((q): q is string => q !== null);
}
