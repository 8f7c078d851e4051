import { existsSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { loadStatePath } from '../config/load';
import { readYamlFile } from '../config/yaml-file';
import { UsageError } from '../errors';
import { CSV_DATASET_NAMES, gatherReport, REPORT_FORMATS, renderReport, writeReportFile, type CsvDataset, type ReportFormat } from '../report';
import { openDb } from '../state/db';
import { KeyIds } from '../state/keys';
import { withCommonOptions } from './common-options';
import type { CommonOptions } from './context';
import { write, type CliIO } from './io';

interface ReportOptions extends CommonOptions {
  format: ReportFormat;
  dataset?: CsvDataset;
  out?: string;
}

const EXAMPLES = `
Examples:
  masync report --out report.html                  one self-contained page: open it in any browser, offline
  masync report --format json | jq '.findings[] | select(.type == "zombie")'
  masync report --format csv --dataset costs --out costs.csv
  masync report --format csv --dataset findings > findings.csv

CSV datasets: ${CSV_DATASET_NAMES.join(', ')} (each with a fixed column order).`;

/** The report from the state file alone: needs no credential, calls no API, and writes nothing to the state. */
export function commandReport(program: Command, io: CliIO): void {
  withCommonOptions(program.command('report').description('write the inventory, cost, zombie and shadow endpoints, governance gaps, maturity and last changes as HTML, CSV or JSON (needs no credentials)'), io.env)
    .addOption(new Option('--format <format>', 'html (one self-contained page), csv or json').choices(REPORT_FORMATS).default('html'))
    .addOption(new Option('--dataset <name>', 'with --format csv: which table to write (default inventory)').choices(CSV_DATASET_NAMES))
    .option('--out <file>', 'write to this file (replaced whole) instead of stdout')
    .addHelpText('after', EXAMPLES)
    .action((opts: ReportOptions) => {
      if (opts.dataset && opts.format !== 'csv') throw new UsageError(`--dataset applies to --format csv only (the ${opts.format} report holds every dataset)`);
      const { file, statePath } = loadStatePath(opts.config, io.env);
      // No state file yet: an empty report that says so, and no state file created by reading.
      const db = openDb(existsSync(statePath) ? statePath : ':memory:');
      let text: string;
      try {
        const data = gatherReport(db, new KeyIds(db), { now: new Date(), productionAliases: productionAliasesOf(file) });
        text = renderReport(data, opts.format, opts.dataset);
      } finally {
        db.close();
      }
      if (!opts.out) return void io.stdout.write(text);
      const out = path.resolve(opts.out);
      writeReportFile(out, text);
      write(io.stderr, `report written to ${out} (${Math.ceil(Buffer.byteLength(text) / 1024)} KiB)`);
    });
}

/** `policies.unservedProduction.productionAliases`, read without loading the whole config (which would need its secrets). */
function productionAliasesOf(file: string): string[] | undefined {
  const policies = (readYamlFile(file).data as { policies?: { unservedProduction?: { productionAliases?: unknown } } } | null)?.policies;
  const aliases = policies?.unservedProduction?.productionAliases;
  return Array.isArray(aliases) && aliases.every((a) => typeof a === 'string') ? aliases : undefined;
}
