import { Option, type Command } from 'commander';
import { FINDING_TYPES } from '../enrich/findings';
import { loadStatePath } from '../config/load';
import { amount, JSON_FORMAT_VERSION } from '../engine/render';
import { listFindings, type StoredFinding } from '../state/findings';
import { withCommonOptions } from './common-options';
import type { CommonOptions } from './context';
import { useColor, write, type CliIO } from './io';
import { withState } from './state-only';

interface FindingsOptions extends CommonOptions {
  type?: string;
  json?: boolean;
  all?: boolean;
}

/** What the last syncs found, from the state file: needs no credential and calls no API. */
export function commandFindings(program: Command, io: CliIO): void {
  withCommonOptions(program.command('findings').description('list zombie, shadow, retired-but-serving and other findings, with the money each wastes a month (newest first)'), io.env)
    .addOption(new Option('--type <type>', 'only this finding type').choices(FINDING_TYPES))
    .option('--all', 'include findings that have cleared')
    .option('--json', 'print as one JSON object')
    .addHelpText('after', '\nExamples:\n  masync findings\n  masync findings --type zombie --json | jq \'.findings[].monthlyWaste\'')
    .action((opts: FindingsOptions) => {
      const { statePath } = loadStatePath(opts.config, io.env);
      withState(statePath, io, opts.json ? { formatVersion: JSON_FORMAT_VERSION, findings: [] } : 'No findings yet: run `masync sync` first.', (db, keys) => {
        const found = listFindings(db, keys, { type: opts.type, all: opts.all });
        if (opts.json) {
          const waste = found.filter((f) => !f.clearedAt).reduce((n, f) => n + (f.monthlyWaste ?? 0), 0);
          write(io.stdout, JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, monthlyWaste: Math.round(waste * 100) / 100, findings: found }));
        } else write(io.stdout, render(found, useColor(io)));
      });
    });
}

function render(found: StoredFinding[], color: boolean): string {
  if (found.length === 0) return 'No open findings.\n';
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const open = found.filter((f) => !f.clearedAt);
  const waste = open.reduce((n, f) => n + (f.monthlyWaste ?? 0), 0);
  const lines = found.map((f) => {
    const money = f.monthlyWaste !== undefined ? `${amount(f.monthlyWaste, f.currency)}/mo` : '';
    const state = f.clearedAt ? ` (cleared ${f.clearedAt.slice(0, 10)})` : '';
    return `${paint(f.severity === 'high' || f.severity === 'critical' ? '31' : '33', f.type.padEnd(20))} ${f.severity.padEnd(8)} ${money.padStart(14)}  since ${f.firstSeen.slice(0, 10)}${state}  ${f.key}\n    ${f.detail}`;
  });
  return `${lines.join('\n')}\n\n${open.length} open finding(s)${waste > 0 ? `, wasting ${amount(waste, open[0]?.currency)} a month` : ''}.\n`;
}
