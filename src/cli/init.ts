import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../config/package-root';
import { standaloneContext } from '../engine/types';
import { UsageError } from '../errors';
import { withRuntime, type CommonOptions } from './context';
import { write, type CliIO } from './io';

interface InitOptions extends Partial<CommonOptions> {
  force?: boolean;
  sink?: string;
  applySchema?: boolean;
  dryRun?: boolean;
}

export function commandInit(program: Command, io: CliIO): void {
  program
    .command('init')
    .description('write a commented example config, or (--sink NAME --apply-schema) create the schema a sink needs')
    .argument('[file]', 'where to write the config', io.env.MASYNC_CONFIG || 'masync.yaml')
    .option('--force', 'overwrite an existing file')
    .option('--sink <name>', 'the sink whose schema to create (with --apply-schema)')
    .option('--apply-schema', "create the object schema, types and attributes the sink's mapping needs, idempotently")
    .option('--dry-run', 'with --apply-schema: only say what would be created')
    .addHelpText('after', '\nExamples:\n  masync init                                      writes ./masync.yaml\n  masync init --sink assets --apply-schema --dry-run\n  masync init --sink assets --apply-schema')
    .action(async (file: string, opts: InitOptions) => {
      if (opts.applySchema || opts.sink) return applySchema(io, file, opts);
      const target = path.resolve(file);
      if (existsSync(target) && !opts.force) throw new UsageError(`${target} already exists; use --force to overwrite it`);
      const root = packageRoot();
      const example = readFileSync(path.join(root, 'config', 'masync.example.yaml'), 'utf8');
      // Editors with the YAML language server validate and complete against the shipped JSON Schema.
      const modeline = `# yaml-language-server: $schema=${path.join(root, 'config', 'masync.schema.json')}\n`;
      writeFileSync(target, modeline + example, { mode: 0o600 });
      write(io.stdout, `Wrote ${target}. Set the environment variables it names, then run: masync doctor`);
    });
}

async function applySchema(io: CliIO, file: string, opts: InitOptions): Promise<void> {
  if (!opts.sink || !opts.applySchema) throw new UsageError('use --sink NAME and --apply-schema together (add --dry-run to see what would be created)');
  await withRuntime(io, { config: file }, async (rt) => {
    const handle = rt.sinks.find((h) => h.sink.name === opts.sink);
    if (!handle) throw new UsageError(`no sink named ${opts.sink}; the config has: ${rt.sinks.map((h) => h.sink.name).join(', ')}`);
    const { sink } = handle;
    if (!sink.bootstrap) {
      write(io.stdout, `Sink ${sink.name} (${sink.type}) has no schema for masync to create: its classes and columns are an administrator's to add. \`masync doctor\` checks each one and says what is missing.`);
      return;
    }
    const steps = await sink.bootstrap({ dryRun: Boolean(opts.dryRun) }, standaloneContext(rt.logger.child({ connector: sink.name }), rt.clock, io.stop.signal));
    for (const s of steps) write(io.stdout, `${s.action === 'create' ? (opts.dryRun ? '+ would create' : '+ created') : '  exists'} ${s.what}${s.detail ? ` (${s.detail})` : ''}`);
    const created = steps.filter((s) => s.action === 'create').length;
    write(io.stdout, created === 0 ? `Nothing to create: sink ${sink.name} has everything its mapping needs.` : `${created} ${opts.dryRun ? 'would be created' : 'created'}; ${steps.length - created} already there.`);
  });
}
