import type { Command } from 'commander';
import { history, type HistoryReport } from '../app/history';
import { loadStatePath } from '../config/load';
import { JSON_FORMAT_VERSION } from '../engine/render';
import { withCommonOptions } from './common-options';
import type { CommonOptions } from './context';
import { write, type CliIO } from './io';
import { withState } from './state-only';

interface HistoryOptions extends CommonOptions {
  json?: boolean;
}

/** One model's life from the state file alone (no credential, no API call, nothing created). */
export function commandHistory(program: Command, io: CliIO): void {
  withCommonOptions(program.command('history').description('one model\'s life in order: versions, stage and alias moves, deployments, findings, and every write to each sink'), io.env)
    .argument('<model>', 'a model name, a version title such as "fraud-detector v3", a deployment name, or an item key')
    .option('--json', 'print as one JSON object')
    .addHelpText('after', '\nExamples:\n  masync history fraud-detector\n  masync history "fraud-detector v3" --json')
    .action((ref: string, opts: HistoryOptions) => {
      const { statePath } = loadStatePath(opts.config, io.env);
      const empty = opts.json ? { formatVersion: JSON_FORMAT_VERSION, events: [], notes: ['no state file: run `masync sync` first'] } : `No state file at ${statePath} yet: run \`masync sync\` first.`;
      withState(statePath, io, empty, (db, keys) => {
        const report = history(db, keys, ref);
        write(io.stdout, opts.json ? JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, ...report }) : renderHistory(report));
      });
    });
}

/** Events grouped by the sync that saw (or made) them, oldest first. */
function renderHistory(r: HistoryReport): string {
  const s = r.subject;
  const kind = s.kind === 'model_version' ? 'version' : s.kind;
  const lines = [`History of ${kind} ${s.title}  (${s.key}, ${s.source})${s.goneAt ? `; gone from its source since ${s.goneAt}` : ''}`];
  lines.push(`${r.versions.length} version(s), ${r.deployments.length} deployment(s) serving them, ${r.events.length} event(s).`);
  let run: string | undefined | null = null;
  for (const e of r.events) {
    if (e.runId !== run) {
      run = e.runId;
      lines.push('', run ? `sync ${run}` : 'before any recorded sync');
    }
    lines.push(`  ${e.at}  ${e.type.padEnd(15)} ${e.text}`);
  }
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `note: ${n}`));
  return `${lines.join('\n')}\n`;
}
