import type { Command } from 'commander';
import type { Registry } from '../app/runtime';
import { buildConfigJsonSchema } from '../config/schema';
import { write, type CliIO } from './io';

/** JSON Schema of the config file, from the same zod schemas that validate it. */
export function configJsonSchema(registry: Registry): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'masync configuration',
    ...buildConfigJsonSchema(
      registry.sources.map((s) => s.schema),
      registry.sinks.map((s) => s.schema),
      registry.enrichers.map((s) => s.schema),
    ),
  };
}

export function commandSchema(program: Command, io: CliIO): void {
  program
    .command('schema')
    .description('print the JSON Schema of the config file (config/masync.schema.json is this output)')
    .action(() => write(io.stdout, JSON.stringify(configJsonSchema(io.registry), null, 2)));
}
