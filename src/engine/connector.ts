import type { z } from 'zod';
import type { HttpClient, HttpClientOptions } from '../http';
import type { Redactor } from '../http/redact';
import type { Logger } from '../log/logger';
import type { Mapping } from '../mapping/schema';
import type { Clock, Enricher, Sink, Source } from './types';

/** What a connector gets when it is built: everything that touches the world, injected. */
export interface ConnectorDeps {
  logger: Logger;
  redactor: Redactor;
  clock: Clock;
  /** Builds the one HTTP layer (retries, backoff, redaction) with this connector's settings. */
  http(opts: Omit<HttpClientOptions, 'logger' | 'redactor'>): HttpClient;
}

/** Common to every connector config: the envelope the core reads. */
export interface ConnectorConfigBase {
  name: string;
  type: string;
}

/**
 * A source type: its config schema (a zod object with `name` and a literal
 * `type`) and how to build one. Registered in connectors/index.ts.
 */
export interface SourceFactory<C extends ConnectorConfigBase = ConnectorConfigBase> {
  role: 'source';
  type: string;
  schema: z.ZodType<C>;
  create(config: C, deps: ConnectorDeps): Source;
}

export interface SinkConfigBase extends ConnectorConfigBase {
  /** Mapping file: a path relative to the config file, or a built-in name under mappings/. */
  mapping?: string;
}

export interface SinkFactory<C extends SinkConfigBase = SinkConfigBase> {
  role: 'sink';
  type: string;
  schema: z.ZodType<C>;
  /** Built-in mapping used when the config names none. */
  defaultMapping: string;
  create(config: C, mapping: Mapping, deps: ConnectorDeps): Sink;
}

export interface EnricherFactory<C extends ConnectorConfigBase = ConnectorConfigBase> {
  role: 'enricher';
  type: string;
  schema: z.ZodType<C>;
  create(config: C, deps: ConnectorDeps): Enricher;
}

export type ConnectorFactory = SourceFactory | SinkFactory | EnricherFactory;
