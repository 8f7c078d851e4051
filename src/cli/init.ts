import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../config/package-root';
import { UsageError } from '../errors';
import { write, type CliIO } from './io';

interface InitOptions {
  force?: boolean;
}

export function commandInit(program: Command, io: CliIO): void {
  program
    .command('init')
    .description('write a commented example config')
    .argument('[file]', 'where to write it', 'masync.yaml')
    .option('--force', 'overwrite an existing file')
    .action((file: string, opts: InitOptions) => {
      const target = path.resolve(file);
      if (existsSync(target) && !opts.force) throw new UsageError(`${target} already exists; use --force to overwrite it`);
      const root = packageRoot();
      const example = readFileSync(path.join(root, 'config', 'masync.example.yaml'), 'utf8');
      // Editors with the YAML language server validate and complete against the shipped JSON Schema.
      const modeline = `# yaml-language-server: $schema=${path.join(root, 'config', 'masync.schema.json')}\n`;
      writeFileSync(target, modeline + example, { mode: 0o600 });
      write(io.stdout, `Wrote ${target}. Set the environment variables it names, then run: masync doctor -c ${file}`);
    });
}
