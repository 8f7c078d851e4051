import { tickingClock, WandbEmulator, type WandbEmulatorOptions } from '../../connectors/sources/wandb/emulator';
import { wandbSource } from '../../connectors/sources/wandb';
import type { InventoryItem, ModelItem, ModelVersionItem } from '../../src/inventory';
import { standaloneContext, type SkippedRecord, type SourceContext } from '../../src/engine/types';
import { testCtx, testDeps, type TestDeps } from '../support/deps';

/** The key the test emulators accept, for user alice. */
export const API_KEY = 'wandb-test-key-2f9c41d7e08a';

const running: WandbEmulator[] = [];

/** Stops every emulator the current test started; for afterEach. */
export async function stopEmulators(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.stop()));
}

/** A seeded emulator on a free port, with a ticking clock so timestamps are distinct and repeatable. */
export async function emulator(seed: (emu: WandbEmulator) => void, opts: Partial<WandbEmulatorOptions> = {}): Promise<WandbEmulator> {
  const emu = new WandbEmulator({ apiKeys: { [API_KEY]: 'alice' }, clock: tickingClock(), ...opts });
  seed(emu);
  await emu.start();
  running.push(emu);
  return emu;
}

/** The real connector, through the real HTTP layer (fast retries), against `emu`. */
export function connect(emu: WandbEmulator, extra: Record<string, unknown> = {}, retries?: number) {
  const deps = testDeps({ retries });
  const config = wandbSource.schema.parse({ name: 'wandb-test', type: 'wandb', url: emu.url, apiKey: API_KEY, entity: 'acme', ...extra });
  return { deps, config, source: wandbSource.create(config, deps), ctx: testCtx(deps) };
}

/** GraphQL requests the emulator answered, by operation name. */
export function operations(emu: WandbEmulator, name?: string) {
  return emu.server.requests.filter((r) => r.method === 'POST' && r.path === '/graphql' && (name === undefined || operationOf(r.body) === name));
}

export function operationOf(body: unknown): string | undefined {
  const query = body && typeof body === 'object' ? (body as Record<string, unknown>).query : undefined;
  return typeof query === 'string' ? /^\s*query\s+(\w+)/.exec(query)?.[1] : undefined;
}

export function versionOf(items: InventoryItem[], path: string): ModelVersionItem {
  const found = items.find((i): i is ModelVersionItem => i.kind === 'model_version' && i.artifactUri === path);
  if (!found) throw new Error(`no version ${path} among ${items.map((i) => i.key).join(', ')}`);
  return found;
}

export function modelOf(items: InventoryItem[], keySuffix: string): ModelItem {
  const found = items.find((i): i is ModelItem => i.kind === 'model' && i.key.endsWith(`/${keySuffix}`));
  if (!found) throw new Error(`no model …/${keySuffix} among ${items.map((i) => i.key).join(', ')}`);
  return found;
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  const outcome = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof Error)) throw new Error(`expected a rejection with an Error, got ${String(outcome)}`);
  return outcome;
}

/** A context that records failed scopes and skipped records instead of throwing, as the engine's will. */
export function lenientCtx(deps: TestDeps) {
  const failedScopes: Array<{ scope: string; error: unknown }> = [];
  const skipped: SkippedRecord[] = [];
  const ctx: SourceContext = {
    ...standaloneContext(deps.logger, deps.clock),
    scopeFailed: (scope, error) => void failedScopes.push({ scope, error }),
    skipped: (record) => void skipped.push(record),
  };
  return { ctx, failedScopes, skipped };
}

/** One raw GraphQL request to the emulator, as any client would send it. */
export async function gql(emu: WandbEmulator, query: string, variables: Record<string, unknown> = {}, apiKey = API_KEY): Promise<{ status: number; body: GraphqlBody }> {
  const res = await fetch(`${emu.url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphqlBody };
}

export interface GraphqlBody {
  // Tests walk answers freely.
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; locations?: unknown }>;
}
