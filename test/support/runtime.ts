import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import type { Runtime } from '../../src/app/runtime';
import { costSchema, daemonSchema, guardSchema, linkingSchema, logSchema, policiesSchema, runSchema, stateSchema, type MasyncConfig } from '../../src/config/schema';
import type { Sink, Source } from '../../src/engine/types';
import type { RunBase } from '../../src/app/run-env';
import { silentProgress } from '../../src/engine/types';
import { Redactor } from '../../src/http/redact';
import type { Mapping } from '../../src/mapping/schema';
import { mappingSchema } from '../../src/mapping/schema';
import { openDb } from '../../src/state/db';
import { fixedClock, MemoryLogger } from './deps';

/** A small mapping for the in-memory sink: models and versions as "thing" records. */
export const memoryMapping: Mapping = mappingSchema.parse({
  version: 1,
  identity: 'ext_key',
  retired: { status: 'retired' },
  kinds: {
    model: { class: 'thing', fields: { name: { from: 'name' }, status: { value: 'active' }, description: { from: 'description' } } },
    model_version: {
      class: 'thing',
      fields: { name: { template: '{name} v{version}' }, status: { value: 'active' }, stage: { from: 'stage' }, owner_name: { from: 'owner', authority: 'sink' } },
      relations: [{ to: 'versionOf', type: 'Contains', role: 'child' }],
    },
  },
});

export interface MemoryRuntime extends Runtime {
  logger: MemoryLogger;
}

/** A runtime over in-memory connectors and a real SQLite file in a temp dir. */
export function memoryRuntime(opts: { sources: Source[]; sinks: Sink[]; guard?: Partial<MasyncConfig['guard']>; statePath?: string }): MemoryRuntime {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'masync-rt-'));
  const statePath = opts.statePath ?? path.join(dir, 'state.db');
  const redactor = new Redactor();
  // Every section at its defaults, as a config file that says nothing else would give.
  const config: MasyncConfig = {
    state: stateSchema.parse({ path: statePath }),
    daemon: daemonSchema.parse({ port: 0 }),
    log: logSchema.parse({ format: 'human' }),
    guard: guardSchema.parse({ maxRetireFraction: 1, ...opts.guard }),
    run: runSchema.parse({ settleSec: 0, stopGraceSec: 1 }),
    policies: policiesSchema.parse({}),
    cost: costSchema.parse({}),
    linking: linkingSchema.parse({}),
    sources: opts.sources.map((s) => ({ name: s.name, type: s.type })),
    sinks: opts.sinks.map((s) => ({ name: s.name, type: s.type })),
    enrichers: [],
  };
  const db = openDb(statePath);
  return {
    loaded: { file: path.join(dir, 'masync.yaml'), dir, config, statePath },
    logger: new MemoryLogger(redactor),
    redactor,
    clock: fixedClock(),
    sources: opts.sources,
    sinks: opts.sinks.map((sink) => ({ sink, mapping: memoryMapping })),
    enrichers: [],
    db,
    hostname: os.hostname(),
    close: () => db.close(),
  };
}

/** What a test run starts from: the runtime's memory logger, no progress, stopped by `signal` (soft) and `hard`. */
export function runBaseFor(rt: MemoryRuntime, stop: { stopping?: AbortSignal; signal?: AbortSignal; full?: boolean } = {}): RunBase {
  const never = new AbortController().signal;
  return { logger: rt.logger, signal: stop.signal ?? never, stopping: stop.stopping ?? never, progressFor: () => silentProgress, full: stop.full ?? false };
}
