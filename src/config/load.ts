import path from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors';
import type { Redactor } from '../http/redact';
import { describeProblems, interpolate } from './interpolate';
import { buildConfigSchema, type MasyncConfig } from './schema';
import { readYamlFile, validateYaml } from './yaml-file';

export interface LoadedConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Its directory: relative paths in the config are relative to it. */
  dir: string;
  config: MasyncConfig;
  /** Absolute path of the SQLite state file. */
  statePath: string;
}

export interface LoadOptions {
  /** Each registered connector's config schema. */
  sourceSchemas: readonly z.ZodType[];
  sinkSchemas: readonly z.ZodType[];
  enricherSchemas: readonly z.ZodType[];
  env: NodeJS.ProcessEnv;
  /** Receives every secret the config holds, so no log line or error can show it. */
  redactor: Redactor;
}

export function loadConfig(file: string, opts: LoadOptions): LoadedConfig {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const src = readYamlFile(abs);
  const { value, problems } = interpolate(src.data, opts.env, dir);
  if (problems.length) throw new ConfigError(describeProblems(problems, (p) => src.where(p)), { file: abs });
  const config = validateYaml(src, buildConfigSchema(opts.sourceSchemas, opts.sinkSchemas, opts.enricherSchemas), value);
  registerSecrets(config, opts.redactor);
  return { file: abs, dir, config, statePath: path.resolve(dir, config.state.path) };
}

/**
 * Where the config keeps its state, without building any connector or
 * reading any secret: for commands that only read the state (`status`).
 */
export function loadStatePath(file: string, env: NodeJS.ProcessEnv): { file: string; statePath: string } {
  const abs = path.resolve(file);
  const src = readYamlFile(abs);
  const state = (src.data as { state?: { path?: unknown } } | null)?.state;
  const { value, problems } = interpolate(state?.path ?? 'masync.db', env, path.dirname(abs));
  if (problems.length || typeof value !== 'string' || value === '') {
    throw new ConfigError(`${src.where(['state', 'path'])}: state.path: ${problems[0]?.message ?? 'a file path'}`, { file: abs });
  }
  return { file: abs, statePath: path.resolve(path.dirname(abs), value) };
}

const SECRET_FIELD = /^(password|token|clientSecret|secret|apiKey|apiToken|secretAccessKey|sessionToken)$/i;

function registerSecrets(value: unknown, redactor: Redactor): void {
  if (Array.isArray(value)) return value.forEach((v) => registerSecrets(v, redactor));
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && SECRET_FIELD.test(k)) redactor.add(v);
    else registerSecrets(v, redactor);
  }
}
