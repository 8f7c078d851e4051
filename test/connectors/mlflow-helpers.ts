import { MlflowEmulator, tickingClock, type MlflowEmulatorOptions } from '../../connectors/sources/mlflow/emulator';
import { mlflowSource } from '../../connectors/sources/mlflow';
import { memoryCache, standaloneContext, type ConnectorCache, type SkippedRecord, type SourceContext } from '../../src/engine/types';
import { testCtx, testDeps, type TestDeps } from '../support/deps';

const running: MlflowEmulator[] = [];

/** Stops every emulator the current test started; for afterEach. */
export async function stopEmulators(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.stop()));
}

/** A seeded emulator on a free port, with a ticking clock so timestamps are distinct and repeatable. */
export async function emulator(seed: (emu: MlflowEmulator) => void, opts: MlflowEmulatorOptions = {}): Promise<MlflowEmulator> {
  const emu = new MlflowEmulator({ clock: tickingClock(), ...opts });
  seed(emu);
  await emu.start();
  running.push(emu);
  return emu;
}

/** The real connector, through the real HTTP layer (fast retries), against `emu`. */
export function connect(emu: MlflowEmulator, extra: Record<string, unknown> = {}, retries?: number) {
  const deps = testDeps({ retries });
  const config = mlflowSource.schema.parse({ name: 'mlflow-test', type: 'mlflow', url: emu.url, ...extra });
  return { deps, source: mlflowSource.create(config, deps), ctx: testCtx(deps) };
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

/** A source context that records skipped records instead of failing, with a cache a test can keep between reads. */
export function recordingCtx(deps: TestDeps, opts: { cache?: ConnectorCache; full?: boolean } = {}): { ctx: SourceContext; skipped: SkippedRecord[] } {
  const skipped: SkippedRecord[] = [];
  const base = standaloneContext(deps.logger, deps.clock);
  const ctx: SourceContext = {
    ...base,
    cache: opts.cache ?? memoryCache(),
    full: opts.full ?? false,
    scopeFailed: (scope, error) => {
      throw error instanceof Error ? error : new Error(`scope ${scope} failed`);
    },
    skipped: (record) => void skipped.push(record),
  };
  return { ctx, skipped };
}
