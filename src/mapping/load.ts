import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors';
import { readYamlFile, validateYaml } from '../config/yaml-file';
import { packageRoot } from '../config/package-root';
import { checkMappingPaths } from './check-paths';
import { mappingSchema, type Mapping } from './schema';

/**
 * A mapping is named either by path (relative to the config file) or by a
 * built-in name that resolves to mappings/<name>.yaml in the package.
 */
export function resolveMappingPath(ref: string, configDir: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(ref)) return path.join(packageRoot(), 'mappings', `${ref}.yaml`);
  return path.resolve(configDir, ref);
}

export function loadMapping(file: string): Mapping {
  if (!existsSync(file)) throw new ConfigError(`${file}: mapping file not found`, { file });
  const src = readYamlFile(file);
  const mapping = validateYaml(src, mappingSchema);
  checkMappingPaths(mapping, src);
  return mapping;
}
