import os from 'node:os';
import { loadConfig, type LoadedConfig } from '../config/load';
import type { ConnectorDeps, EnricherFactory, SinkFactory, SourceFactory } from '../engine/connector';
import { systemClock, type Clock, type Enricher, type Sink, type Source } from '../engine/types';
import { ConfigError } from '../errors';
import { createHttpClient } from '../http';
import { Redactor } from '../http/redact';
import type { Logger } from '../log/logger';
import { loadMapping, resolveMappingPath } from '../mapping/load';
import type { Mapping } from '../mapping/schema';
import { openDb, type Db } from '../state/db';

/** The connector types this build knows, from connectors/index.ts. */
export interface Registry {
  sources: readonly SourceFactory[];
  sinks: readonly SinkFactory[];
  enrichers: readonly EnricherFactory[];
}

export interface SinkHandle {
  sink: Sink;
  mapping: Mapping;
}

/** Everything a command needs, built once from a config file. */
export interface Runtime {
  loaded: LoadedConfig;
  logger: Logger;
  redactor: Redactor;
  clock: Clock;
  sources: Source[];
  sinks: SinkHandle[];
  enrichers: Enricher[];
  db: Db;
  hostname: string;
  close(): void;
}

export interface RuntimeOptions {
  registry: Registry;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  /** Built after the config is read, so its log settings apply. */
  makeLogger(loaded: LoadedConfig): Logger;
  clock?: Clock;
}

export function loadRuntime(configFile: string, opts: RuntimeOptions): Runtime {
  const loaded = loadConfig(configFile, {
    sourceSchemas: opts.registry.sources.map((f) => f.schema),
    sinkSchemas: opts.registry.sinks.map((f) => f.schema),
    enricherSchemas: opts.registry.enrichers.map((f) => f.schema),
    env: opts.env,
    redactor: opts.redactor,
  });
  const logger = opts.makeLogger(loaded);
  const clock = opts.clock ?? systemClock;
  // Each connector logs, and its HTTP layer logs, as itself: every line it writes names it.
  const depsOf = (connector: string): ConnectorDeps => {
    const own = logger.child({ connector });
    return { logger: own, redactor: opts.redactor, clock, http: (o) => createHttpClient({ ...o, logger: own, redactor: opts.redactor }) };
  };
  const sources = loaded.config.sources.map((cfg) => factory(opts.registry.sources, cfg.type, loaded.file).create(cfg, depsOf(cfg.name)));
  const sinks = loaded.config.sinks.map((cfg) => {
    const f = factory(opts.registry.sinks, cfg.type, loaded.file);
    const ref = (cfg as { mapping?: string }).mapping ?? f.defaultMapping;
    const mapping = loadMapping(resolveMappingPath(ref, loaded.dir));
    return { sink: f.create(cfg, mapping, depsOf(cfg.name)), mapping };
  });
  const enrichers = loaded.config.enrichers.map((cfg) => factory(opts.registry.enrichers, cfg.type, loaded.file).create(cfg, depsOf(cfg.name)));
  const db = openDb(loaded.statePath);
  return { loaded, logger, redactor: opts.redactor, clock, sources, sinks, enrichers, db, hostname: os.hostname(), close: () => db.close() };
}

function factory<F extends { type: string }>(list: readonly F[], type: string, file: string): F {
  const f = list.find((x) => x.type === type);
  if (!f) throw new ConfigError(`${file}: no connector of type ${type}`, { file });
  return f;
}
